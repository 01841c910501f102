/**
 * The Store: open records, the commit path, ObjectId reservation.
 *
 * Commit protocol
 * ---------------
 * A Transaction holds the encoded, validated writes of one crank (or any unit the caller
 * chooses). commit(tx, { sync }) hands them to the backend as ONE atomic batch: LevelDB applies
 * a batch whole or not at all, also across a crash, so a transaction is all there or absent.
 * Batches reach the backend in the order commit() was called (a single write chain), so a
 * later batch never lands before an earlier one.
 *
 * Durability, stated exactly:
 *   - sync:true   resolves once the batch, and every batch written before it, is on stable
 *                 storage: it survives a process kill and a power loss.
 *   - sync:false  resolves once the backend has the batch: it survives a process kill (the OS
 *                 has it) but a power loss may drop it, and any later unsynced batches, keeping
 *                 a prefix of whole batches in order.
 *
 * Group commit (groupCommit = N > 1): a sync:false commit is held in memory until N are held,
 * then the N go to the backend as one batch. A held transaction resolves at once and is not yet
 * written: a process kill or power loss loses it, and reads do not see it. A sync:true commit
 * writes every held transaction and its own in one synced batch, so sync:true always means
 * durable on return. flush({ sync }) writes what is held; close() flushes with sync. A failed
 * group write reaches the commit or flush that issued it; none of its transactions is written.
 *
 * ObjectIds: meta.idHighWater is durable (synced) before any ID below it is handed out, and a
 * reopened store hands out from the durable high-water mark on, so an ID is never handed out
 * twice across any number of crashes. IDs are reserved in blocks of ID_BLOCK so that the sync
 * costs little. Meta is written only through the write chain, so a stale high-water mark can
 * never overtake a newer one.
 */
import type { Kv } from './backend/kv.ts';
import type { FaultControl } from './backend/fault-layer.ts';
import type { MemoryDisk } from './backend/memory-disk.ts';
import { StoreError } from './errors.ts';
import { blocks, checkpoints, directory, objects, registrations, snapshots, storage } from './keepers/index.ts';
import type { BatchOp } from './keepers/kind.ts';
import { putMeta } from './keepers/meta.ts';
import { Reader } from './reader.ts';
import type { Meta, ObjectId } from './records.ts';
import { Transaction, takeOps } from './transaction.ts';
import { verifyKv, type VerifyReport } from './verify.ts';

/** IDs reserved per high-water raise: one sync per ID_BLOCK IDs. */
export const ID_BLOCK = 4096;
/** The most IDs one reserveIds call may ask for. */
export const RESERVE_MAX = 1 << 20;
/** The largest group commit setting. */
export const GROUP_COMMIT_MAX = 10_000;

export interface StoreParts {
  kv: Kv;
  meta: Meta;
  groupCommit: number;
  faults: (FaultControl & { onDeath: (cause: string) => void }) | null;
  disk: MemoryDisk | null;
  description: string;
}

export class Store {
  readonly registrations;
  readonly objects;
  readonly storage;
  readonly directory;
  readonly blocks;
  readonly checkpoints;
  readonly snapshots;
  /** The fault layer, when opened with faults:true. */
  readonly faults: FaultControl | null;
  /** The memory disk under a memory store, to reopen "the same disk"; null for classic. */
  readonly disk: MemoryDisk | null;
  /** Where the store lives, for messages: a folder path or "memory". */
  readonly description: string;
  readonly groupCommit: number;

  #kv: Kv;
  #meta: Meta;
  #nextId: ObjectId;
  #tail: Promise<unknown> = Promise.resolve();
  #held: BatchOp[] = [];
  #heldTransactions = 0;
  #closed: string | null = null;
  #closing: Promise<void> | null = null;

  constructor(parts: StoreParts) {
    this.#kv = parts.kv;
    this.#meta = Object.freeze({ ...parts.meta });
    // Anything below the durable high-water mark may have been handed out before a crash.
    this.#nextId = parts.meta.idHighWater;
    this.groupCommit = parts.groupCommit;
    this.faults = parts.faults;
    this.disk = parts.disk;
    this.description = parts.description;
    if (parts.faults !== null) parts.faults.onDeath = (cause) => this.#die(cause);
    const kv = (): Kv => this.#open();
    this.registrations = new Reader(kv, registrations, (r) => r);
    this.objects = new Reader(kv, objects, (o) => o);
    this.storage = new Reader(kv, storage, (s) => s);
    this.directory = new Reader(kv, directory, (e) => e.id);
    this.blocks = new Reader(kv, blocks, (b) => b.bytes);
    this.checkpoints = new Reader(kv, checkpoints, (c) => c.manifest);
    this.snapshots = new Reader(kv, snapshots, (s) => s.record);
  }

  /** The current meta record (what is durable). */
  get meta(): Meta {
    return this.#meta;
  }

  get closed(): boolean {
    return this.#closed !== null;
  }

  begin(): Transaction {
    this.#open();
    return new Transaction();
  }

  commit(tx: Transaction, opts: { sync: boolean }): Promise<void> {
    try {
      this.#open();
      const sync = syncOf(opts);
      const ops = takeOps(tx);
      if (this.groupCommit === 1) return ops.length === 0 && !sync ? Promise.resolve() : this.#write(ops, sync);
      for (const op of ops) this.#held.push(op);
      this.#heldTransactions++;
      if (sync || this.#heldTransactions >= this.groupCommit) return this.#writeHeld(sync);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Writes every held transaction; with sync:true, also makes every earlier unsynced batch durable. */
  flush(opts: { sync: boolean }): Promise<void> {
    try {
      this.#open();
      return this.#writeHeld(syncOf(opts));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Hands out [first, end): raises the durable high-water mark first when the block is used up. */
  reserveIds(count: number): Promise<{ first: ObjectId; end: ObjectId }> {
    if (!Number.isSafeInteger(count) || count < 1 || count > RESERVE_MAX) {
      return Promise.reject(new StoreError('invalid', `reserveIds(count) needs an integer in 1..${RESERVE_MAX}, not ${count}`));
    }
    return this.#serial(async () => {
      const end = this.#nextId + count;
      if (end > this.#meta.idHighWater) {
        const raised = end + ID_BLOCK;
        if (!Number.isSafeInteger(raised)) throw new StoreError('invalid', 'the ObjectId space is exhausted');
        const meta = { ...this.#meta, idHighWater: raised };
        await this.#kv.write([putMeta(meta)], true);
        this.#meta = Object.freeze(meta);
      }
      const first = this.#nextId;
      this.#nextId = end;
      return { first, end };
    });
  }

  /** Counts a boot durably and returns the new count. */
  recordBoot(): Promise<number> {
    return this.#serial(async () => {
      const meta = { ...this.#meta, bootCount: this.#meta.bootCount + 1 };
      await this.#kv.write([putMeta(meta)], true);
      this.#meta = Object.freeze(meta);
      return meta.bootCount;
    });
  }

  /** Lists every damaged record (see verify.ts); verifyStore(store) is the same call. */
  verify(): Promise<VerifyReport> {
    try {
      return verifyKv(this.#open());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Writes held transactions with sync, then releases the backend. Closing twice is harmless. */
  close(): Promise<void> {
    if (this.#closing !== null) return this.#closing;
    if (this.#closed !== null) return Promise.resolve();
    const last = this.#held.length > 0 ? this.#writeHeld(true) : Promise.resolve();
    this.#closed = 'close';
    const drained = last.then(() => this.#tail);
    const closing = this.#kv.close(drained).then(() => last);
    this.#closing = closing;
    return closing;
  }

  #writeHeld(sync: boolean): Promise<void> {
    const ops = this.#held;
    this.#held = [];
    this.#heldTransactions = 0;
    return this.#write(ops, sync);
  }

  #write(ops: BatchOp[], sync: boolean): Promise<void> {
    return this.#serial(() => {
      if (ops.length > 0) return this.#kv.write(ops, sync);
      // LevelDB skips an empty batch, sync or not; rewriting meta gives the sync point a write to carry.
      return sync ? this.#kv.write([putMeta(this.#meta)], true) : undefined;
    });
  }

  /** The write chain: one backend write at a time, in call order. */
  #serial<T>(step: () => Promise<T> | T): Promise<T> {
    const result = this.#tail.then(() => {
      if (this.#closed !== null && this.#closing === null) throw this.#closedError();
      return step();
    });
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  #open(): Kv {
    if (this.#closed !== null) throw this.#closedError();
    return this.#kv;
  }

  #die(cause: string): void {
    this.#closed = cause;
    this.#held = [];
    this.#heldTransactions = 0;
  }

  #closedError(): StoreError {
    return new StoreError('closed', this.#closed === 'close' ? `${this.description} is closed` : `${this.description} is gone after ${this.#closed}: open it again`);
  }
}

function syncOf(opts: { sync: boolean } | undefined): boolean {
  if (typeof opts?.sync !== 'boolean') throw new StoreError('invalid', 'say { sync: true } or { sync: false }: durability is always explicit');
  return opts.sync;
}
