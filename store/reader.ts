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

export class Reader<K, R, V = R> {
  constructor(
    private readonly kv: () => Kv,
    private readonly kind: RecordKind<K, R>,
    private readonly project: (record: R) => V,
  ) {}

  async get(k: K): Promise<V | undefined> {
    const key = this.kind.key(k);
    const value = await this.kv().get(key);
    return value === undefined ? undefined : this.project(decodeOrThrow(this.kind, key, value));
  }

  async has(k: K): Promise<boolean> {
    return (await this.kv().get(this.kind.key(k))) !== undefined;
  }

  async *scan(): AsyncGenerator<R | DamagedRecord> {
    for await (const chunk of this.kv().chunks(this.kind.range)) {
      for (const [key, value] of chunk) yield decodeOrDamaged(this.kind, key, value);
    }
  }

  async count(): Promise<number> {
    let n = 0;
    for await (const chunk of this.kv().chunks(this.kind.range)) n += chunk.length;
    return n;
  }
}
