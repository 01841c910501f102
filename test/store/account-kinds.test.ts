/**
 * Record kinds are appended to the account over time: an account written before the last kinds
 * existed (a store made by an earlier capsim, in either layout) still reads, those kinds empty.
 */
import { describe, expect, it } from 'vitest';
import { ACCOUNT_KEY, ACCOUNTED_KINDS, decodeAccount, emptyAccount, putAccount } from '../../store/account.ts';
import { sealWire, unsealWire } from '../../store/codec.ts';

const FIRST_KINDS = 8;

function wireOf(account: ReturnType<typeof emptyAccount>): unknown[] {
  return unsealWire(ACCOUNT_KEY, putAccount(account).value!) as unknown[];
}

describe('the account record', () => {
  it('reads an account of the first eight kinds (before the transcript kind), compact or in the first layout, the later kinds empty', () => {
    const account = emptyAccount();
    account.seq = 9;
    account.kinds.registration = { count: 2, lanes: [1, 2, 3, 4] };
    const compact = wireOf(account).slice(0, 1 + FIRST_KINDS);
    const legacy: unknown[] = ['account', 9];
    for (const k of ACCOUNTED_KINDS.slice(0, FIRST_KINDS)) legacy.push(account.kinds[k].count, ...account.kinds[k].lanes);
    for (const wire of [compact, legacy]) {
      const read = decodeAccount(sealWire(ACCOUNT_KEY, wire));
      expect(read.seq).toBe(9);
      expect(read.kinds.registration).toEqual({ count: 2, lanes: [1, 2, 3, 4] });
      expect(read.kinds.transcript).toEqual({ count: 0, lanes: [0, 0, 0, 0] });
    }
  });

  it('refuses an account with fewer kinds than the first eight, or a kind cut in half', () => {
    const wire = wireOf(emptyAccount());
    expect(wire.length).toBe(1 + ACCOUNTED_KINDS.length);
    expect(() => decodeAccount(sealWire(ACCOUNT_KEY, wire.slice(0, FIRST_KINDS)))).toThrow(/not an account record/);
    const legacy: unknown[] = ['account', 1, ...new Array(FIRST_KINDS * 5 - 2).fill(0)];
    expect(() => decodeAccount(sealWire(ACCOUNT_KEY, legacy))).toThrow(/not an account record/);
  });
});
