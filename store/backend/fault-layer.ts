/**
 * The fault layer: a Kv between the store and its backend that models what LevelDB really
 * promises, so that power loss can be simulated in-process.
 *
 *   - A batch written with sync:false is acknowledged at once but only reaches the volatile
 *     buffer (the OS page cache). Reads see it.
 *   - A batch written with sync:true first makes every buffered batch durable, then itself, in
 *     order and in one backend batch, as LevelDB's log does.
 *   - processKill(): the process dies, the OS lives: every acknowledged batch reaches the disk.
 *   - powerLoss({ keepBatches }): the OS dies: the buffer is lost but for its first keepBatches
 *     batches, each whole, in order (LevelDB's guarantee after an OS crash).
 *   - failWrite(nth): the nth write from now fails as a full disk would: it writes nothing and
 *     its caller gets StoreError('write_failed').
 *
 * The backend underneath is the durable part: a MemoryDisk, or the real classic-level folder.
 * After a power loss or a kill the Store is dead; reopen the same disk or folder.
 *
 * The volatile buffer is this process's memory: the simulated kill above keeps it, a real one
 * (SIGKILL) does not. Real runs that must keep unsynced commits across a real kill open the
 * store without this layer.
 */
import { StoreError } from '../errors.ts';
import type { KeyRange } from '../keys.ts';
import type { BatchOp } from '../keepers/kind.ts';
import type { Entry, Kv } from './kv.ts';

export interface FaultControl {
  /** Drops unsynced batches but the first `keepBatches` (default 0; more than there are keeps all). */
  powerLoss(opts?: { keepBatches?: number }): void;
  /** A killed process: acknowledged writes survive, the Store is dead. */
  processKill(): void;
  /** The nth write from now (1 = the next) fails with StoreError('write_failed') and writes nothing. */
  failWrite(nth: number): void;
  readonly unsyncedBatches: number;
}

export class FaultKv implements Kv, FaultControl {
  /** Acknowledged, not yet handed to the backend, oldest first. */
  private pending: BatchOp[][] = [];
  /** Handed to the backend in a sync write that has not finished yet. */
  private inflight: BatchOp[][] = [];
  /** key → latest value (null = deleted) over inflight then pending: what reads must see first. */
  private overlay = new Map<string, Uint8Array | null>();
  private lastWrite: Promise<void> = Promise.resolve();
  private writesUntilFailure = 0;
  private death: string | null = null;
  private closing: Promise<void> | null = null;
  /** Set by the Store, so that it dies with its process. */
  onDeath: (cause: string) => void = () => {};

  constructor(private readonly inner: Kv) {}

  get unsyncedBatches(): number {
    return this.pending.length;
  }

  write(ops: BatchOp[], sync: boolean): Promise<void> {
    if (this.death !== null) return Promise.reject(this.deadError());
    if (this.writesUntilFailure > 0 && --this.writesUntilFailure === 0) {
      return Promise.reject(new StoreError('write_failed', `injected failure of a batch of ${ops.length} ops (as a full disk)`));
    }
    if (!sync) {
      this.pending.push(ops);
      this.cover(ops);
      return Promise.resolve();
    }
    const earlier = this.pending;
    const batches = [...earlier, ops];
    this.pending = [];
    this.inflight.push(...batches);
    this.cover(ops);
    const written = this.lastWrite.then(() => this.inner.write(batches.flat(), true));
    this.lastWrite = written.then(
      () => this.settle(batches.length, []),
      () => this.settle(batches.length, earlier),
    );
    return written;
  }

  get(key: string): Promise<Uint8Array | undefined> {
    if (this.death !== null) return Promise.reject(this.deadError());
    const shadowed = this.overlay.get(key);
    if (shadowed !== undefined) return Promise.resolve(shadowed ?? undefined);
    return this.inner.get(key);
  }

  /** The backend's entries merged with the overlay, as a snapshot of the overlay at the start. */
  async *chunks(range: KeyRange): AsyncGenerator<Entry[]> {
    if (this.death !== null) throw this.deadError();
    const shadow = [...this.overlay].filter(([k]) => k >= range.gte && k < range.lt).sort(([a], [b]) => compareUtf8(a, b));
    let s = 0;
    for await (const chunk of this.inner.chunks(range)) {
      const out: Entry[] = [];
      for (const [key, value] of chunk) {
        for (; s < shadow.length && compareUtf8(shadow[s]![0], key) < 0; s++) pushLive(out, shadow[s]!);
        if (s < shadow.length && shadow[s]![0] === key) pushLive(out, shadow[s++]!);
        else out.push([key, value]);
      }
      if (out.length > 0) yield out;
    }
    const rest: Entry[] = [];
    for (; s < shadow.length; s++) pushLive(rest, shadow[s]!);
    if (rest.length > 0) yield rest;
  }

  powerLoss(opts: { keepBatches?: number } = {}): void {
    const keep = opts.keepBatches ?? 0;
    if (!Number.isSafeInteger(keep) || keep < 0) throw new StoreError('invalid', `keepBatches must be an integer >= 0, not ${keep}`);
    this.die('a simulated power loss', this.pending.slice(0, keep));
  }

  processKill(): void {
    this.die('a simulated process kill', this.pending);
  }

  failWrite(nth: number): void {
    if (!Number.isSafeInteger(nth) || nth < 1) throw new StoreError('invalid', `failWrite(nth) needs an integer >= 1, not ${nth}`);
    this.writesUntilFailure = nth;
  }

  /**
   * A clean close is a process exit: the OS has every acknowledged batch. `after` is the store's
   * last work (held group transactions), which must still get through before the layer shuts.
   */
  close(after: Promise<unknown> = Promise.resolve()): Promise<void> {
    if (this.closing !== null) return this.closing.catch(() => undefined);
    this.closing = after.then(
      () => this.shut(),
      () => this.shut(),
    );
    return this.closing;
  }

  private shut(): Promise<void> {
    if (this.death !== null) return this.inner.close();
    const owed = this.pending;
    this.pending = [];
    this.death = 'close';
    return this.finish(owed);
  }

  private die(cause: string, kept: BatchOp[][]): void {
    if (this.death !== null) throw this.deadError();
    this.pending = [];
    this.overlay.clear();
    this.death = cause;
    this.closing = this.finish(kept);
    this.onDeath(cause);
  }

  /** Writes what survives (whole batches, in order, after any sync write still under way), then releases the backend. */
  private finish(kept: BatchOp[][]): Promise<void> {
    const survivors = this.lastWrite.then(() => (kept.length > 0 ? this.inner.write(kept.flat(), true) : undefined));
    return this.inner.close(survivors);
  }

  /**
   * After a sync write: its batches leave the overlay. If it failed, its own batch is gone (a
   * failed write writes nothing) and the earlier ones stay volatile, in front of newer ones.
   */
  private settle(count: number, requeue: BatchOp[][]): void {
    this.inflight.splice(0, count);
    if (this.death === null) this.pending.unshift(...requeue);
    this.overlay.clear();
    if (this.death === null) for (const batch of [...this.inflight, ...this.pending]) this.cover(batch);
  }

  private cover(ops: BatchOp[]): void {
    for (const op of ops) this.overlay.set(op.key, op.type === 'put' ? op.value! : null);
  }

  private deadError(): StoreError {
    return new StoreError('closed', `the store is gone after ${this.death}: open it again`);
  }
}

function pushLive(out: Entry[], [key, value]: [string, Uint8Array | null]): void {
  if (value !== null) out.push([key, value]);
}

/** LevelDB orders keys by their UTF-8 bytes; JS string order differs once surrogates appear. */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
