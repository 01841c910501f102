/**
 * The account record goes into every batch the store writes, so its layout is a cost of every
 * commit: an empty kind takes one byte. Any account round-trips through it; one made in the
 * first layout (a full entry for every kind, led by 'account') still decodes, so a store made
 * before the compact layout opens as it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCOUNTED_KINDS, decodeAccount, emptyAccount, putAccount, type Account } from '../../store/account.ts';
import { sealWire } from '../../store/codec.ts';
import { assertProperty } from './seed.ts';

const lane = fc.integer({ min: 0, max: 0xffffffff });
const kindSum = fc.oneof(fc.constant({ count: 0, lanes: [0, 0, 0, 0] }), fc.record({ count: fc.integer({ min: 0, max: 2 ** 40 }), lanes: fc.tuple(lane, lane, lane, lane) }));
const accountArb = fc.record({ seq: fc.integer({ min: 0, max: 2 ** 40 }), sums: fc.array(kindSum, { minLength: ACCOUNTED_KINDS.length, maxLength: ACCOUNTED_KINDS.length }) }).map(({ seq, sums }): Account => {
  const account = emptyAccount();
  account.seq = seq;
  ACCOUNTED_KINDS.forEach((k, i) => (account.kinds[k] = { count: sums[i]!.count, lanes: [...sums[i]!.lanes] }));
  return account;
});

describe('the account record', () => {
  it('round-trips any account', async () => {
    await assertProperty(
      fc.property(accountArb, (account) => {
        expect(decodeAccount(putAccount(account).value!)).toEqual(account);
      }),
    );
  });

  it('costs a byte per empty kind: a store with two kinds in use writes under 80 bytes of account per batch', () => {
    const account = emptyAccount();
    account.seq = 123_456;
    account.kinds.registration = { count: 1000, lanes: [0xdeadbeef, 0xcafebabe, 0x12345678, 0x9abcdef0] };
    account.kinds.storage = { count: 1000, lanes: [0xfeedface, 0x0badf00d, 0x87654321, 0x0fedcba9] };
    expect(putAccount(account).value!.length).toBeLessThan(80);
  });

  it("decodes the first layout, which stores made before the compact one hold", () => {
    const account = emptyAccount();
    account.seq = 7;
    account.kinds.object = { count: 3, lanes: [1, 2, 3, 4] };
    const wire: unknown[] = ['account', account.seq];
    for (const k of ACCOUNTED_KINDS) wire.push(account.kinds[k].count, ...account.kinds[k].lanes);
    expect(decodeAccount(sealWire('!account', wire))).toEqual(account);
  });

  it('decodes an account written before the sturdy kind, in either layout, with no sturdy records; refuses one shorter still', () => {
    // Kinds are only appended: sturdy and transcript came after the first eight.
    const before = ACCOUNTED_KINDS.slice(0, ACCOUNTED_KINDS.indexOf('sturdy'));
    expect(before).toHaveLength(8);
    expect(ACCOUNTED_KINDS.slice(8)).toEqual(['sturdy', 'transcript']);
    const account = emptyAccount();
    account.seq = 9;
    account.kinds.registration = { count: 2, lanes: [5, 6, 7, 8] };
    const compact: unknown[] = [account.seq, ...before.map((k) => (k === 'registration' ? [2, 5, 6, 7, 8] : 0))];
    expect(decodeAccount(sealWire('!account', compact))).toEqual(account);
    const first: unknown[] = ['account', account.seq];
    for (const k of before) first.push(account.kinds[k].count, ...account.kinds[k].lanes);
    expect(decodeAccount(sealWire('!account', first))).toEqual(account);
    expect(() => decodeAccount(sealWire('!account', compact.slice(0, -1)))).toThrow(/not an account record/);
  });

  it('refuses an entry that is neither 0 nor [count, four lanes], as damage', () => {
    const wire: unknown[] = [1, ...ACCOUNTED_KINDS.map(() => 0)];
    wire[3] = [5, 1, 2];
    expect(() => decodeAccount(sealWire('!account', wire))).toThrow(/neither 0 nor \[count, four lanes\]/);
  });
});
