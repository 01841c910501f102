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
      throw new StoreError('write_failed', `the backend refused a batch of ${ops.length} ops: ${detailOf(error)}`, { cause: error });
    });
  }

  get(key: string): Promise<Uint8Array | undefined> {
    return this.db.get(key).catch((error: unknown) => {
      throw readError(error);
    });
  }

  async *chunks(range: KeyRange): AsyncGenerator<Entry[]> {
    const iterator = this.db.iterator({ gte: range.gte, lt: range.lt });
    try {
      // The next chunk is read while the caller decodes this one, so disk and CPU overlap.
      // Ends with the range: a LevelDB iterator over a finite store is finite.
      let next = iterator.nextv(CHUNK_ENTRIES);
      next.catch(() => undefined);
      for (let chunk = await next; chunk.length > 0; chunk = await next) {
        next = iterator.nextv(CHUNK_ENTRIES);
        // Read ahead: a failure of the next read is taken up when it is awaited.
        next.catch(() => undefined);
        yield chunk as Entry[];
      }
    } catch (error) {
      throw readError(error);
    } finally {
      await iterator.close().catch(() => undefined);
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

/** LevelDB's message, and its cause's, on one line. */
function detailOf(error: unknown): string {
  const e = error as { message?: string; cause?: { message?: string } };
  const text = [e.message, e.cause?.message].filter((m) => m !== undefined && m !== '').join(': ');
  return (text === '' ? String(error) : text).replace(/\s*\n\s*/g, ' ');
}

/**
 * A read LevelDB could not do: a corrupted or truncated table file (LevelDB checks its own
 * block checksums on every read) is damage; anything else is an I/O failure. Already typed
 * errors pass through.
 */
function readError(error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const e = error as { code?: string; cause?: { code?: string } };
  const detail = detailOf(error);
  if (e.code === 'LEVEL_CORRUPTION' || e.cause?.code === 'LEVEL_CORRUPTION' || /corrupt|checksum mismatch|truncated/i.test(detail)) {
    return new StoreError('damaged', `LevelDB reports corruption: ${detail}`, { record: 'leveldb files', cause: error });
  }
  return new StoreError('io_error', `LevelDB could not read: ${detail}`, { cause: error });
}
