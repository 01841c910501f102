/**
 * The store's account of its own record set (DESIGN.md I15).
 *
 * Per-value checksums catch a value that is damaged, not one that is gone: LevelDB skips a
 * damaged stretch of its log without a word, and a record deleted or rolled back leaves no
 * damaged value behind. So every batch the store writes carries, in the same atomic batch, the
 * account record: a commit sequence number and, per record kind, the number of records and a
 * multiset hash of them. The multiset hash is four 32-bit lanes, each the sum mod 2^32 of a
 * per-record hash over the key and the value's stored CRC32 (its header): adding a record adds
 * its hash, removing one subtracts it, so the account is updated from the ops of a batch and
 * the old values' CRCs alone, and any set of records can be summed in any order.
 *
 * A scan of a kind's whole range sums what it finds; a difference from the account means a
 * record missing, added or replaced by another value (a rolled-back record). Damaged values
 * cannot be summed (their CRC is not trusted), so a kind holding any is checked by count only;
 * the damaged records themselves are named by their checksums.
 *
 * The account covers every record kind; the meta record and the account record are outside it.
 */
import { keyCrc } from './codec.ts';
import { DamageReason, sealWire, unsealWire } from './codec.ts';
import { HEADER_BYTES } from './codec.ts';
import type { BatchOp } from './keepers/kind.ts';
import { fail, safeInt } from './shape.ts';

export const ACCOUNT_KEY = '!account';
export const ACCOUNT_NAME = 'account';
export const LANES = 4;
/** The first element of the account's first layout, which stores made before the compact one hold. */
const LEGACY_MAGIC = 'account';

/** The record kinds the account covers, by their keepers' labels, in the wire's order. */
export const ACCOUNTED_KINDS = ['registration', 'object', 'storage', 'directory', 'block', 'checkpoint', 'snapshot', 'quarantine', 'sturdy', 'transcript'] as const;
/**
 * Kinds are only ever appended: an account written before the last ones existed holds the first
 * ones only, and the store then held none of the others.
 */
const ACCOUNTED_KINDS_FIRST = 8;
export type AccountedKind = (typeof ACCOUNTED_KINDS)[number];

export interface KindSum {
  count: number;
  lanes: number[];
}

export interface Account {
  /** Batches written since the store was made: every batch carries the account, so each has a number. */
  seq: number;
  kinds: Record<AccountedKind, KindSum>;
}

export function emptySum(): KindSum {
  return { count: 0, lanes: [0, 0, 0, 0] };
}

export function emptyAccount(): Account {
  const kinds = {} as Record<AccountedKind, KindSum>;
  for (const k of ACCOUNTED_KINDS) kinds[k] = emptySum();
  return { seq: 0, kinds };
}

export function copyAccount(a: Account): Account {
  const kinds = {} as Record<AccountedKind, KindSum>;
  for (const k of ACCOUNTED_KINDS) kinds[k] = { count: a.kinds[k].count, lanes: [...a.kinds[k].lanes] };
  return { seq: a.seq, kinds };
}

/** The stored CRC32 of a value (its header), or 0 for a value too short to have one. */
export function storedCrc(value: Uint8Array): number {
  if (value.length < HEADER_BYTES) return 0;
  return ((value[1]! << 24) | (value[2]! << 16) | (value[3]! << 8) | value[4]!) >>> 0;
}

/** FNV-1a over the key's UTF-16 code units: a second key hash, independent of the CRC. */
function fnv1a(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The key's two hashes, computed once per op. */
export interface KeyHash {
  a: number;
  b: number;
}

export function keyHash(key: string): KeyHash {
  return { a: keyCrc(key), b: fnv1a(key) };
}

/** Adds (sign 1) or subtracts (sign -1) one record's hash to a sum. */
export function apply(sum: KindSum, k: KeyHash, crc: number, sign: 1 | -1): void {
  const l = sum.lanes;
  const h0 = fmix(k.a + Math.imul(crc, 0x9e3779b1));
  const h1 = fmix(k.b ^ Math.imul(crc, 0x27d4eb2f));
  const h2 = fmix(Math.imul(k.a ^ crc, 0x165667b1) + k.b);
  const h3 = fmix(k.a ^ Math.imul(k.b + crc, 0xd3a2646c) ^ 0x5bd1e995);
  if (sign === 1) {
    l[0] = (l[0]! + h0) >>> 0;
    l[1] = (l[1]! + h1) >>> 0;
    l[2] = (l[2]! + h2) >>> 0;
    l[3] = (l[3]! + h3) >>> 0;
  } else {
    l[0] = (l[0]! - h0) >>> 0;
    l[1] = (l[1]! - h1) >>> 0;
    l[2] = (l[2]! - h2) >>> 0;
    l[3] = (l[3]! - h3) >>> 0;
  }
  sum.count += sign;
}

export function sameSum(a: KindSum, b: KindSum): boolean {
  return a.count === b.count && a.lanes.every((l, i) => l === b.lanes[i]);
}

/** The whole store's sum (all kinds), which the witness keeps. */
export function totalOf(account: Account): KindSum {
  const total = emptySum();
  for (const k of ACCOUNTED_KINDS) {
    const s = account.kinds[k];
    total.count += s.count;
    for (let i = 0; i < LANES; i++) total.lanes[i] = (total.lanes[i]! + s.lanes[i]!) >>> 0;
  }
  return total;
}

/**
 * The account's wire: `[seq, k1, ..., kn]`, one entry per kind in ACCOUNTED_KINDS' order, each
 * `0` for a kind with no records (its lanes are then 0 too: what was added was taken out again)
 * or `[count, l0, l1, l2, l3]`. The record goes into every batch, so its size is a cost of
 * every commit: an empty kind takes one byte, not the 25 of a full entry. A store made before
 * this layout wrote `['account', seq, count, l0..l3, ...]` for all kinds: decodeAccount reads both,
 * and either with fewer kinds than there are now (kinds are appended: the later ones were empty).
 */
export function putAccount(account: Account): BatchOp {
  const wire: unknown[] = [account.seq];
  for (const k of ACCOUNTED_KINDS) {
    const s = account.kinds[k];
    const l = s.lanes;
    wire.push(s.count === 0 && l[0] === 0 && l[1] === 0 && l[2] === 0 && l[3] === 0 ? 0 : [s.count, l[0], l[1], l[2], l[3]]);
  }
  return { type: 'put', key: ACCOUNT_KEY, value: sealWire(ACCOUNT_KEY, wire) };
}

function lanesOf(values: unknown[], kind: AccountedKind): number[] {
  return values.map((l) => {
    if (typeof l !== 'number' || !Number.isInteger(l) || l < 0 || l > 0xffffffff) fail(`a lane of ${kind} is not a 32-bit number`);
    return l;
  });
}

/** Throws DamageReason for a value that is not a whole account record. */
export function decodeAccount(value: Uint8Array): Account {
  const wire = unsealWire(ACCOUNT_KEY, value);
  if (!Array.isArray(wire)) fail('not an account record');
  const account = emptyAccount();
  if (wire[0] === LEGACY_MAGIC) {
    if (!wholeKinds((wire.length - 2) / 5)) fail('not an account record');
    account.seq = safeInt(wire[1], 'seq');
    ACCOUNTED_KINDS.forEach((k, i) => {
      const at = 2 + i * 5;
      if (at >= wire.length) return;
      account.kinds[k] = { count: safeInt(wire[at], `${k} count`), lanes: lanesOf(wire.slice(at + 1, at + 5), k) };
    });
    return account;
  }
  if (!wholeKinds(wire.length - 1)) fail('not an account record');
  account.seq = safeInt(wire[0], 'seq');
  ACCOUNTED_KINDS.forEach((k, i) => {
    if (1 + i >= wire.length) return;
    const entry = wire[1 + i] as unknown;
    if (entry === 0) return;
    if (!Array.isArray(entry) || entry.length !== 5) fail(`the account's entry for ${k} is neither 0 nor [count, four lanes]`);
    account.kinds[k] = { count: safeInt(entry[0], `${k} count`), lanes: lanesOf(entry.slice(1), k) };
  });
  return account;
}

/** True for the number of kinds an account's wire form holds: the first ones, or more of them up to all. */
function wholeKinds(kinds: number): boolean {
  return Number.isInteger(kinds) && kinds >= ACCOUNTED_KINDS_FIRST && kinds <= ACCOUNTED_KINDS.length;
}

/** "2 registration record(s) missing" / "1 extra" / "one replaced": a sum's difference in words. */
export function describeDifference(kind: AccountedKind, expected: KindSum, found: KindSum, countOnly: boolean): string {
  const diff = found.count - expected.count;
  if (diff < 0) return `${-diff} ${kind} record(s) missing: the account holds ${expected.count}, the store ${found.count}`;
  if (diff > 0) return `${diff} ${kind} record(s) more than accounted for: the account holds ${expected.count}, the store ${found.count}`;
  if (countOnly) return `${kind} records: the count matches`;
  return `the ${kind} records differ from the account (${found.count} as accounted, but not the same values): a record replaced, rolled back, or missing with another in its place`;
}

export { DamageReason };
