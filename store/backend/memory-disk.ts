/**
 * A simulated disk for the memory backend: it outlives the Store objects opened on it, so that
 * reopening after a simulated power loss sees exactly what was durable. Like a real folder, it
 * may be held by one open Store at a time.
 */
import { MemoryLevel } from 'memory-level';
import type { Entry, LevelDb } from './kv.ts';

export class MemoryDisk {
  /** The durable content. Never closed: a memory disk has nothing to release. */
  readonly db: LevelDb = new MemoryLevel<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' }) as unknown as LevelDb;
  /** True while a Store holds this disk. */
  held = false;
  /** The witness (store/witness.ts) of what was last synced to this disk, kept apart from its records. */
  witness: Buffer | null = null;
  /** Set while a holder is closing: it may still owe writes (a dying store's kept batches). */
  closing: Promise<void> | null = null;

  /**
   * For tests and tools: the raw stored entries, keys opaque. With `overwrite`, a test can damage
   * a value in place (as a bad sector would) without building a key.
   */
  async rawEntries(): Promise<Entry[]> {
    const out: Entry[] = [];
    for await (const entry of this.db.iterator()) out.push(entry as Entry);
    return out;
  }

  async overwrite(key: string, value: Uint8Array): Promise<void> {
    await this.db.put(key, value);
  }
}
