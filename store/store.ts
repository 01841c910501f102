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
 *   - sync:false  resolves once the backend has the batch. Opened without the fault layer, the
 *                 backend is LevelDB itself: the batch survives a real process kill (the OS has
 *                 it) but a power loss may drop it, and any later unsynced batches, keeping a
 *                 prefix of whole batches in order. Opened WITH the fault layer (faults:true, as
 *                 simulations open it), the backend is the layer's volatile buffer in this
 *                 process's memory until the next sync: a simulated process kill keeps it, but a
 *                 real process kill loses it like a power loss would.
 *
 * Group commit (groupCommit = N > 1): a sync:false commit is held in memory until N are held,
 * then the N go to the backend as one batch. A held transaction resolves at once and is not yet
 * written: a process kill or power loss loses it, and reads do not see it. A sync:true commit
 * writes every held transaction and its own in one synced batch, so sync:true always means
 * durable on return. flush({ sync }) writes what is held; close() flushes with sync. A failed
 * group write reaches the commit or flush that issued it; none of its transactions is written.
 *
 * The account (account.ts, ledger.ts): every batch the store writes — commits, group writes,
 * meta updates — carries the account record in the same atomic batch: its sequence number and
 * the count and multiset hash of every record kind, updated from the batch's ops and the old
 * records' CRCs held in memory. After a synced batch returns, the witness (witness.ts) outside
 * LevelDB's files is set to that sequence number and sum, so that a store found older than its
 * witness is known to be rolled back.
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
import { blocks, checkpoints, directory, keyOfName, objects, quarantine, registrations, snapshots, storage, sturdy, transcript } from './keepers/index.ts';
import { decodeOrDamaged, type BatchOp, type RecordKind } from './keepers/kind.ts';
import { isDamaged } from './records.ts';
import { putMeta } from './keepers/meta.ts';
import { Reader, type ScanAudit } from './reader.ts';
import { ACCOUNTED_KINDS, putAccount, storedCrc, totalOf, type Account, type AccountedKind } from './account.ts';
import { Ledger, Tally, type AccountFinding, type PreparedBatch } from './ledger.ts';
import type { WitnessHome } from './witness.ts';
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
  ledger: Ledger;
  witness: WitnessHome | null;
  /** Opened to look, not to change: every write is refused (verify, status, repair's survey). */
  inspect: boolean;
  /** Set when what is open is a copy of the store (a read-only store being verified). */
  copyOf: string | null;
}

export class Store {
  readonly registrations;
  readonly objects;
  readonly storage;
  readonly directory;
  readonly blocks;
  readonly checkpoints;
  readonly snapshots;
  /** Deliveries since a checkpoint, under the transcript persistence model. */
  readonly transcript;
  /** Records repair set aside. */
  readonly quarantine;
  /** Sturdy references: the hash of each token's secret and what it stands for. */
  readonly sturdy;
  /** The fault layer, when opened with faults:true. */
  readonly faults: FaultControl | null;
  /** The memory disk under a memory store, to reopen "the same disk"; null for classic. */
  readonly disk: MemoryDisk | null;
  /** Where the store lives, for messages: a folder path or "memory". */
  readonly description: string;
  readonly groupCommit: number;

  /** Opened to look only: writes are refused. */
  readonly inspect: boolean;
  /** The original folder when a copy of a read-only store was opened, else null. */
  readonly copyOf: string | null;

  #kv: Kv;
  #meta: Meta;
  #ledger: Ledger;
  #witness: WitnessHome | null;
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
    this.#ledger = parts.ledger;
    this.#witness = parts.witness;
    this.inspect = parts.inspect;
    this.copyOf = parts.copyOf;
    if (parts.faults !== null) parts.faults.onDeath = (cause) => this.#die(cause);
    const kv = (): Kv => this.#open();
    const audit = (kind: AccountedKind): ScanAudit => ({ begin: () => this.#ledger.beginScan(kind), end: (t) => this.#ledger.endScan(t) });
    this.registrations = new Reader(kv, registrations, (r) => r, audit('registration'));
    this.objects = new Reader(kv, objects, (o) => o, audit('object'));
    this.storage = new Reader(kv, storage, (s) => s, audit('storage'));
    this.directory = new Reader(kv, directory, (e) => e.id, audit('directory'));
    this.blocks = new Reader(kv, blocks, (b) => b.bytes, audit('block'));
    this.checkpoints = new Reader(kv, checkpoints, (c) => c.manifest, audit('checkpoint'));
    this.snapshots = new Reader(kv, snapshots, (s) => s.record, audit('snapshot'));
    this.quarantine = new Reader(kv, quarantine, (q) => q, audit('quarantine'));
    this.sturdy = new Reader(kv, sturdy, (s) => s, audit('sturdy'));
    this.transcript = new Reader(kv, transcript, (t) => t.entry, audit('transcript'));
  }

  /** The account as the last written batch left it. */
  get account(): Account {
    return this.#ledger.account;
  }

  /**
   * What the account shows wrong: found at open (rolled back, no account) and by every full scan
   * since. `checkAccount` first scans each kind that no scan has checked yet, checking every
   * value too (but for the kinds in `skip`): boot calls it after its own scans, so it reads only
   * what boot did not.
   */
  async checkAccount(opts: { skip?: readonly AccountedKind[] } = {}): Promise<AccountFinding[]> {
    const kv = this.#open();
    for (const kind of ACCOUNTED_KINDS) {
      if (this.#ledger.isChecked(kind) || opts.skip?.includes(kind) === true) continue;
      await this.#serial(() => this.#scanKind(kv, kind, (t) => this.#ledger.endScan(t)));
    }
    return [...this.#ledger.findings];
  }

  /** The damaged values the last full scan of a kind found (checkAccount or a reader's scan run to its end). */
  damagedIn(kind: AccountedKind): readonly string[] {
    return this.#ledger.damagedIn(kind);
  }

  /**
   * Repair's first tool: moves each named record (as keepers name them, e.g. "registration 42")
   * under the quarantine kind with its stored bytes and the reason, in one synced batch. Names
   * no keeper makes, and records no longer there, are returned as not set aside.
   */
  setAside(records: readonly { record: string; reason: string }[]): Promise<{ record: string; reason: string }[]> {
    return this.#serial(async () => {
      const missed: { record: string; reason: string }[] = [];
      const ops: BatchOp[] = [];
      for (const r of records) {
        const key = keyOfName(r.record);
        const bytes = key === null ? undefined : await this.#kv.get(key);
        if (key === null || bytes === undefined) {
          missed.push(r);
          continue;
        }
        ops.push({ type: 'del', key }, quarantine.put({ key, reason: r.reason, bytes: new Uint8Array(bytes) }));
      }
      if (ops.length > 0) await this.#send(ops, true);
      return missed;
    });
  }

  /**
   * Repair's last tool: sums what the store holds now, writes that as its account under a
   * sequence number past both the account's and the witness's, synced, and moves the witness
   * to it. What the old account said is lost: the caller reports it first.
   */
  reaccount(): Promise<Account> {
    return this.#serial(async () => {
      if (this.inspect) throw new StoreError('invalid', `${this.description} is open for inspection only: nothing is written`);
      const kv = this.#kv;
      const tallies = [];
      for (const kind of ACCOUNTED_KINDS) {
        const tally = new Tally(kind, 0, true);
        for await (const chunk of kv.chunks(KEEPER_OF[kind].range)) for (const [key, value] of chunk) tally.add(key, value);
        tallies.push(tally);
      }
      const seq = Math.max(this.#ledger.account.seq, this.#witness?.read().newest?.seq ?? 0) + 1;
      this.#ledger = Ledger.fromTallies(seq, tallies);
      const account = this.#ledger.account;
      await kv.write([putAccount(account)], true);
      this.#witness?.write({ seq: account.seq, total: totalOf(account) });
      return account;
    });
  }

  /** The findings so far, without scanning. */
  get findings(): readonly AccountFinding[] {
    return this.#ledger.findings;
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
        await this.#send([putMeta(meta)], true);
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
      await this.#send([putMeta(meta)], true);
      this.#meta = Object.freeze(meta);
      return meta.bootCount;
    });
  }

  /** Lists every damaged record and every difference from the account (see verify.ts); verifyStore(store) is the same call. */
  verify(): Promise<VerifyReport> {
    try {
      const kv = this.#open();
      return this.#serial(() => verifyKv(kv, this.#ledger, this.#witness));
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
    const closing = this.#kv.close(drained).then(() => {
      this.#witness?.close();
      return last;
    });
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
      if (ops.length > 0) return this.#send(ops, sync);
      // LevelDB skips an empty batch, sync or not; rewriting meta gives the sync point a write to carry.
      return sync ? this.#send([putMeta(this.#meta)], true) : undefined;
    });
  }

  /** One backend batch with the account in it, then (after a sync) the witness. Runs inside the write chain. */
  async #send(ops: BatchOp[], sync: boolean): Promise<void> {
    if (this.inspect) throw new StoreError('invalid', `${this.description} is open for inspection only: nothing is written`);
    const kv = this.#kv;
    const unknown = this.#ledger.unknownKeys(ops);
    let read: Map<string, number | null> | undefined;
    if (unknown.length > 0) {
      read = new Map();
      for (const key of unknown) {
        const old = await kv.get(key);
        read.set(key, old === undefined ? null : storedCrc(old));
      }
    }
    const prepared: PreparedBatch = this.#ledger.prepare(ops, read);
    this.#ledger.writeStarted();
    try {
      await kv.write(prepared.ops, sync);
    } catch (error) {
      this.#ledger.writeEnded(prepared, false);
      throw error;
    }
    this.#ledger.writeEnded(prepared, true);
    if (sync && this.#witness !== null) this.#witness.write({ seq: prepared.next.seq, total: totalOf(prepared.next) });
  }

  /** A full scan of one kind, summed for the account. Runs inside the write chain, so no write overlaps it. */
  async #scanKind(kv: Kv, kind: AccountedKind, done: (tally: Tally) => void): Promise<void> {
    const tally = this.#ledger.beginScan(kind);
    if (tally === null) throw new Error('a scan for the account overlapped a write');
    const keeper = KEEPER_OF[kind];
    for await (const chunk of kv.chunks(keeper.range)) {
      for (const [key, value] of chunk) {
        tally.add(key, value);
        const decoded = decodeOrDamaged(keeper, key, value);
        if (isDamaged(decoded)) tally.noteDamaged(decoded.record);
      }
    }
    done(tally);
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

const KEEPER_OF: Record<AccountedKind, RecordKind<never, unknown>> = {
  registration: registrations,
  object: objects,
  storage,
  directory,
  block: blocks,
  checkpoint: checkpoints,
  snapshot: snapshots,
  quarantine,
  sturdy,
  transcript,
} as unknown as Record<AccountedKind, RecordKind<never, unknown>>;

function syncOf(opts: { sync: boolean } | undefined): boolean {
  if (typeof opts?.sync !== 'boolean') throw new StoreError('invalid', 'say { sync: true } or { sync: false }: durability is always explicit');
  return opts.sync;
}
