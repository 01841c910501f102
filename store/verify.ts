/**
 * verifyStore: reads every record and reports, without throwing for damage:
 *   - each value that fails its checksum or shape check, or sits under a key no keeper owns;
 *   - each record kind whose records differ from the store's account (account.ts): records
 *     missing, added, or replaced by other values;
 *   - what the open found: an account older than the witness (rolled back), or no account.
 */
import { ACCOUNT_KEY, ACCOUNT_NAME, ACCOUNTED_KINDS, apply, describeDifference, emptySum, keyHash, sameSum, storedCrc, type AccountedKind, type KindSum } from './account.ts';
import { decodeOrDamaged } from './keepers/kind.ts';
import { kindOfKey } from './keepers/index.ts';
import { META_KEY, META_NAME, decodeMeta } from './keepers/meta.ts';
import { WHOLE_RANGE } from './keys.ts';
import type { Store } from './store.ts';
import type { Kv } from './backend/kv.ts';
import { isDamaged } from './records.ts';
import type { Ledger } from './ledger.ts';
import type { WitnessHome } from './witness.ts';

/** What verify can find; tools add the kinds that need the system's knowledge (marks, blocks). */
export type ProblemKind = 'damaged' | 'missing_or_extra' | 'rolled_back' | 'no_account';

export interface Problem {
  kind: ProblemKind;
  /** What is concerned, e.g. "registration 42", "registration records", "store". */
  record: string;
  reason: string;
}

export interface VerifyReport {
  /** Records read, damaged ones included (meta and the account record among them). */
  records: number;
  damaged: { record: string; reason: string }[];
  /** Every problem, damaged values included. Empty means the store is whole. */
  problems: Problem[];
  /** The account's sequence number: batches written since the store was made. */
  commits: number;
  /** The witness's sequence number, null when there is none (or it was not read). */
  witnessed: number | null;
}

export function verifyStore(store: Store): Promise<VerifyReport> {
  return store.verify();
}

/** The walk itself, on the store's own backend (and its fault layer), inside its write chain. */
export async function verifyKv(kv: Kv, ledger: Ledger, witness: WitnessHome | null): Promise<VerifyReport> {
  const report: VerifyReport = { records: 0, damaged: [], problems: [], commits: ledger.account.seq, witnessed: witness?.read().newest?.seq ?? null };
  const sums = new Map<AccountedKind, { sum: KindSum; damaged: number }>();
  for (const k of ACCOUNTED_KINDS) sums.set(k, { sum: emptySum(), damaged: 0 });
  for await (const chunk of kv.chunks(WHOLE_RANGE)) {
    for (const [key, value] of chunk) {
      report.records++;
      const problem = check(key, value);
      if (problem !== null) report.damaged.push(problem);
      const kind = kindOfKey(key)?.label as AccountedKind | undefined;
      if (kind === undefined) continue;
      const tally = sums.get(kind)!;
      apply(tally.sum, keyHash(key), storedCrc(value), 1);
      if (problem !== null) tally.damaged++;
    }
  }
  for (const f of ledger.findings) if (f.kind !== 'missing_or_extra') report.problems.push({ kind: f.kind, record: f.record, reason: f.reason });
  for (const d of report.damaged) report.problems.push({ kind: 'damaged', record: d.record, reason: d.reason });
  if (ledger.findings.some((f) => f.kind === 'no_account')) return report;
  for (const kind of ACCOUNTED_KINDS) {
    const expected = ledger.account.kinds[kind];
    const { sum, damaged } = sums.get(kind)!;
    // A damaged value's CRC cannot be trusted: with damage, the kind is checked by count only.
    const same = damaged > 0 ? expected.count === sum.count : sameSum(expected, sum);
    if (!same) report.problems.push({ kind: 'missing_or_extra', record: `${kind} records`, reason: describeDifference(kind, expected, sum, false) });
  }
  return report;
}

function check(key: string, value: Uint8Array): { record: string; reason: string } | null {
  if (key === META_KEY) {
    try {
      decodeMeta(value);
      return null;
    } catch (error) {
      return { record: META_NAME, reason: (error as Error).message };
    }
  }
  if (key === ACCOUNT_KEY) return null;
  const kind = kindOfKey(key);
  if (kind === undefined) return { record: `unknown key ${JSON.stringify(key)}`, reason: 'no record kind owns this key' };
  const decoded = decodeOrDamaged(kind, key, value);
  return isDamaged(decoded) ? { record: decoded.record, reason: decoded.reason } : null;
}

export { ACCOUNT_NAME };
