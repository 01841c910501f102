/**
 * The key-value surface the store needs from its backend, and its abstract-level implementation.
 * classic-level and memory-level both come through LevelKv (one code path); the fault layer is a
 * second Kv that wraps a LevelKv.
 */
import type { AbstractBatchOperation, AbstractBatchOptions, AbstractLevel } from 'abstract-level';
import { StoreError } from '../errors.ts';
import type { KeyRange } from '../keys.ts';
import type { BatchOp } from '../keepers/kind.ts';

export type Entry = [key: string, value: Uint8Array];

/** Entries per iterator step: big enough to amortise the native call, small enough to bound memory. */
export const CHUNK_ENTRIES = 512;

export interface Kv {
  /** One atomic batch. Rejects with StoreError('write_failed') and writes nothing on failure. */
  write(ops: BatchOp[], sync: boolean): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
  /** The entries of a range in key order (UTF-8 byte order), at most CHUNK_ENTRIES per step. */
  chunks(range: KeyRange): AsyncGenerator<Entry[]>;
  /**
   * Releases the backend once `after` (work that must still reach it) has settled. The release is
   * announced at once, so that a reopen in this process waits for it instead of finding a lock.
   */
  close(after?: Promise<unknown>): Promise<void>;
}

/** How a backend is let go: announce() runs synchronously when closing starts, release() at the end. */
export interface Release {
  announce(closing: Promise<void>): void;
  release(): Promise<void>;
}

export type LevelDb = AbstractLevel<string | Uint8Array, string, Uint8Array>;
type LevelOp = AbstractBatchOperation<LevelDb, string, Uint8Array>;
type BatchOptions = AbstractBatchOptions<string, Uint8Array>;
// classic-level reads `sync` (abstract-level's own types do not list it); memory-level ignores it.
const SYNC = Object.freeze({ sync: true });
const NO_SYNC = Object.freeze({ sync: false });

export class LevelKv implements Kv {
  private closing: Promise<void> | null = null;

  constructor(
    private readonly db: LevelDb,
    private readonly releaser: Release,
  ) {}

  write(ops: BatchOp[], sync: boolean): Promise<void> {
    // BatchOp is abstract-level's operation shape already: no per-op copy on the hot path.
    return this.db.batch(ops as LevelOp[], (sync ? SYNC : NO_SYNC) as unknown as BatchOptions).catch((error: unknown) => {
      throw new StoreError('write_failed', `the backend refused a batch of ${ops.length} ops: ${(error as Error).message}`, { cause: error });
    });
  }

  get(key: string): Promise<Uint8Array | undefined> {
    return this.db.get(key);
  }

  async *chunks(range: KeyRange): AsyncGenerator<Entry[]> {
    const iterator = this.db.iterator({ gte: range.gte, lt: range.lt });
    try {
      // The next chunk is read while the caller decodes this one, so disk and CPU overlap.
      // Ends with the range: a LevelDB iterator over a finite store is finite.
      let next = iterator.nextv(CHUNK_ENTRIES);
      for (let chunk = await next; chunk.length > 0; chunk = await next) {
        next = iterator.nextv(CHUNK_ENTRIES);
        yield chunk as Entry[];
      }
    } finally {
      await iterator.close();
    }
  }

  close(after: Promise<unknown> = Promise.resolve()): Promise<void> {
    if (this.closing === null) {
      this.closing = after.then(
        () => this.releaser.release(),
        () => this.releaser.release(),
      );
      this.releaser.announce(this.closing.catch(() => undefined));
    }
    return this.closing;
  }
}
