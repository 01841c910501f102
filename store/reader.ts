/**
 * Read access to one record kind: get by key (throws StoreError('damaged') naming the record),
 * scan in key order (yields a DamagedRecord in place of a record it cannot trust, so that boot
 * can quarantine and go on), count.
 *
 * Reads see what was written to the backend, including unsynced batches (as LevelDB does); a
 * transaction that group commit still holds in memory is not visible until its group is written.
 */
import type { Kv } from './backend/kv.ts';
import { decodeOrDamaged, decodeOrThrow, type RecordKind } from './keepers/kind.ts';
import type { DamagedRecord } from './records.ts';
import type { Tally } from './ledger.ts';

/** How a full scan reports its sum to the account (ledger.ts); null for no check. */
export interface ScanAudit {
  begin(): Tally | null;
  end(tally: Tally): void;
}

export class Reader<K, R, V = R> {
  constructor(
    private readonly kv: () => Kv,
    private readonly kind: RecordKind<K, R>,
    private readonly project: (record: R) => V,
    private readonly audit: ScanAudit | null = null,
  ) {}

  async get(k: K): Promise<V | undefined> {
    const key = this.kind.key(k);
    const value = await this.kv().get(key);
    return value === undefined ? undefined : this.project(decodeOrThrow(this.kind, key, value));
  }

  async has(k: K): Promise<boolean> {
    return (await this.kv().get(this.kind.key(k))) !== undefined;
  }

  /** Every record of the kind in key order; a scan run to its end is also checked against the account. */
  async *scan(): AsyncGenerator<R | DamagedRecord> {
    const tally = this.audit?.begin() ?? null;
    for await (const chunk of this.kv().chunks(this.kind.range)) {
      for (const [key, value] of chunk) {
        tally?.add(key, value);
        const record = decodeOrDamaged(this.kind, key, value);
        if (tally !== null && isDamagedRecord(record)) tally.noteDamaged(record.record);
        yield record;
      }
    }
    if (tally !== null) this.audit!.end(tally);
  }

  /**
   * The scan a chunk at a time, each record decoded (or a DamagedRecord in its place), in key
   * order. For bulk readers such as boot: one await per chunk instead of one per record through
   * an async generator, which at 100,000 registrations cost more than the decoding it wrapped.
   */
  async *scanChunks(): AsyncGenerator<(R | DamagedRecord)[]> {
    const kind = this.kind;
    const tally = this.audit?.begin() ?? null;
    for await (const chunk of this.kv().chunks(kind.range)) {
      const out = new Array<R | DamagedRecord>(chunk.length);
      for (let i = 0; i < chunk.length; i++) {
        const [key, value] = chunk[i]!;
        tally?.add(key, value);
        const record = decodeOrDamaged(kind, key, value);
        if (tally !== null && isDamagedRecord(record)) tally.noteDamaged(record.record);
        out[i] = record;
      }
      yield out;
    }
    if (tally !== null) this.audit!.end(tally);
  }

  /** Counts the kind's records; a count is a full scan too, checked against the account. */
  async count(): Promise<number> {
    let n = 0;
    const tally = this.audit?.begin() ?? null;
    for await (const chunk of this.kv().chunks(this.kind.range)) {
      n += chunk.length;
      if (tally !== null) for (const [key, value] of chunk) tally.add(key, value);
    }
    if (tally !== null) this.audit!.end(tally);
    return n;
  }
}

function isDamagedRecord(value: unknown): value is DamagedRecord {
  return (value as { damaged?: unknown }).damaged === true;
}
