/**
 * Record kinds are appended to the account over time: an account written before the last kinds
 * existed (a store made by an earlier capsim) still reads, with those kinds empty.
 */
import { describe, expect, it } from 'vitest';
import { ACCOUNT_KEY, ACCOUNTED_KINDS, decodeAccount, emptyAccount, putAccount } from '../../store/account.ts';
import { sealWire, unsealWire } from '../../store/codec.ts';

describe('the account record', () => {
  it('reads an account of the first eight kinds (before the transcript kind), the later kinds empty', () => {
    const account = emptyAccount();
    account.seq = 9;
    account.kinds.registration = { count: 2, lanes: [1, 2, 3, 4] };
    const wire = unsealWire(ACCOUNT_KEY, putAccount(account).value!) as unknown[];
    const older = sealWire(ACCOUNT_KEY, wire.slice(0, 2 + 8 * 5));
    const read = decodeAccount(older);
    expect(read.seq).toBe(9);
    expect(read.kinds.registration).toEqual({ count: 2, lanes: [1, 2, 3, 4] });
    expect(read.kinds.transcript).toEqual({ count: 0, lanes: [0, 0, 0, 0] });
  });

  it('refuses an account with a kind cut in half, or fewer kinds than the first eight', () => {
    const wire = unsealWire(ACCOUNT_KEY, putAccount(emptyAccount()).value!) as unknown[];
    expect(wire.length).toBe(2 + ACCOUNTED_KINDS.length * 5);
    expect(() => decodeAccount(sealWire(ACCOUNT_KEY, wire.slice(0, wire.length - 2)))).toThrow(/not an account record/);
    expect(() => decodeAccount(sealWire(ACCOUNT_KEY, wire.slice(0, 2 + 7 * 5)))).toThrow(/not an account record/);
  });
});
