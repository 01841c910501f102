/**
 * The observer: what an outside witness knows of every commit, so that after a power loss
 * and restart the invariants can be checked against history rather than against the store's
 * own word. It lives outside the kernel and the store (a simulation keeps it across power
 * losses; a real boot has none and says so).
 *
 * Model: the database's records as "kind/id" → canonical JSON. Synced commits fold into the
 * durable base; unsynced ones wait in order. After a restart the database must equal the base
 * plus a prefix of the waiting commits: every synced commit present (I1), every commit whole
 * or absent (I2). The length of that prefix tells how many cranks were lost.
 */
import type { Registration, ObjectRecord, StorageRecord } from '../store/index.ts';
import type { RecordWriter } from './commit-path.ts';
import { canonicalText } from './canonical-text.ts';

export type RecordKey = string;

interface PendingCommit {
  crank: number;
  ops: [RecordKey, string | null][];
  revoked: number[];
}

export interface DurabilityMatch {
  ok: boolean;
  /** How many unsynced commits survived (the kept prefix). */
  kept: number;
  /** The crank of the last commit the database holds. */
  crank: number;
  problem: string | null;
}

/** Bound on unsynced commits remembered; the agent syncs far more often than this. */
const PENDING_MAX = 100_000;

export class Observer {
  private durable = new Map<RecordKey, string>();
  private durableCrank = 0;
  private pending: PendingCommit[] = [];
  /** CapIds whose destruction is durable: they must never come back. */
  readonly revokedDurable = new Set<number>();
  /** Every ObjectId and capId ever handed out, by its maximum. */
  highestIssued = 0;

  /** Wraps a transaction so that every write is also recorded here. */
  record(tx: RecordWriter, crank: number): { tx: RecordWriter; done: (synced: boolean, revoked: readonly number[]) => void } {
    const ops: [RecordKey, string | null][] = [];
    const put = (key: RecordKey, value: unknown): void => void ops.push([key, canonical(value)]);
    const del = (key: RecordKey): void => void ops.push([key, null]);
    const wrapped: RecordWriter = {
      putRegistration: (r: Registration) => (put(`registration/${r.id}`, r), tx.putRegistration(r)),
      deleteRegistration: (id: number) => (del(`registration/${id}`), tx.deleteRegistration(id)),
      putObject: (o: ObjectRecord) => (put(`object/${o.id}`, o), tx.putObject(o)),
      deleteObject: (id: number) => (del(`object/${id}`), tx.deleteObject(id)),
      putStorage: (s: StorageRecord) => (put(`storage/${s.id}`, s), tx.putStorage(s)),
      deleteStorage: (id: number) => (del(`storage/${id}`), tx.deleteStorage(id)),
    };
    return {
      tx: wrapped,
      done: (synced, revoked) => {
        if (this.pending.length >= PENDING_MAX) this.pending.shift();
        this.pending.push({ crank, ops, revoked: [...revoked] });
        if (synced) this.syncAll();
      },
    };
  }

  /**
   * A crank that changed nothing persistent is as durable as the commit before it: it joins
   * that commit (or the durable base), so a power loss never counts it as lost work.
   */
  quiet(crank: number): void {
    const last = this.pending[this.pending.length - 1];
    if (last !== undefined) last.crank = crank;
    else this.durableCrank = crank;
  }

  /** A sync makes every earlier commit durable too (as LevelDB's log does). */
  syncAll(): void {
    for (const c of this.pending) this.fold(c);
    this.pending = [];
  }

  private fold(c: PendingCommit): void {
    for (const [key, value] of c.ops) {
      if (value === null) this.durable.delete(key);
      else this.durable.set(key, value);
    }
    for (const capId of c.revoked) this.revokedDurable.add(capId);
    this.durableCrank = c.crank;
  }

  /**
   * Compares the database after a restart with history. On a match the kept commits become
   * the new durable base and the rest is forgotten: it was lost, and the report says so.
   */
  matchAfterRestart(actual: Map<RecordKey, string>, damaged: ReadonlySet<RecordKey>): DurabilityMatch {
    const candidate = new Map(this.durable);
    const tryMatch = (): string | null => diff(candidate, actual, damaged);
    let problem = tryMatch();
    let kept = 0;
    let crank = this.durableCrank;
    if (problem !== null) {
      for (const c of this.pending) {
        kept++;
        for (const [key, value] of c.ops) {
          if (value === null) candidate.delete(key);
          else candidate.set(key, value);
        }
        crank = c.crank;
        problem = tryMatch();
        if (problem === null) break;
      }
    }
    if (problem !== null) {
      return { ok: false, kept: 0, crank: this.durableCrank, problem: `the database equals no prefix of the commits since the last sync: ${problem}` };
    }
    for (const c of this.pending.slice(0, kept)) this.fold(c);
    this.pending = [];
    this.durable = candidate;
    this.durableCrank = crank;
    return { ok: true, kept, crank, problem: null };
  }

  /** Forgets history: a restart after which the database itself becomes the truth. */
  adopt(actual: Map<RecordKey, string>, crank: number): void {
    this.durable = new Map(actual);
    this.pending = [];
    this.durableCrank = crank;
  }
}

function diff(expected: Map<RecordKey, string>, actual: Map<RecordKey, string>, damaged: ReadonlySet<RecordKey>): string | null {
  for (const [key, value] of expected) {
    if (damaged.has(key)) continue;
    const got = actual.get(key);
    if (got === undefined) return `${key} is missing`;
    if (got !== value) return `${key} differs`;
  }
  for (const key of actual.keys()) if (!expected.has(key) && !damaged.has(key)) return `${key} should not be there`;
  return null;
}

/** JSON with sorted object keys, so equal records give equal text (canonical-text.ts). */
export function canonical(value: unknown): string {
  return canonicalText(value, 'as-json');
}
