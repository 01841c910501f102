/**
 * A transaction collects the writes of one atomic batch. Each put is validated and encoded by its
 * keeper the moment it is added (a bad record throws StoreError('invalid') and adds nothing), so
 * that commit is one backend call with no per-op work left.
 */
import { StoreError } from './errors.ts';
import { blocks, checkpoints, directory, objects, registrations, snapshots, storage, sturdy, transcript } from './keepers/index.ts';
import { hashOf } from './keepers/blocks.ts';
import type { BatchOp } from './keepers/kind.ts';
import type { ObjectId, ObjectRecord, PlainData, Registration, StorageRecord, SturdyRecord } from './records.ts';

/**
 * Ops in one transaction. A crank's change set is far smaller, but creating a whole system is
 * one atomic commit too: 100,000 processes with 10 named capabilities each is about 1.2M ops.
 * The bound still stops a runaway writer.
 */
export const TX_OPS_MAX = 4_000_000;

let opsOf: (tx: Transaction) => BatchOp[];

export class Transaction {
  #ops: BatchOp[] = [];
  #sealed = false;

  static {
    opsOf = (tx) => {
      if (tx.#sealed) throw new StoreError('invalid', 'this transaction was already committed');
      tx.#sealed = true;
      return tx.#ops;
    };
  }

  get size(): number {
    return this.#ops.length;
  }

  putRegistration(r: Registration): void {
    this.#add(registrations.put(r));
  }
  deleteRegistration(id: ObjectId): void {
    this.#add(registrations.del(id));
  }
  putObject(o: ObjectRecord): void {
    this.#add(objects.put(o));
  }
  deleteObject(id: ObjectId): void {
    this.#add(objects.del(id));
  }
  putStorage(s: StorageRecord): void {
    this.#add(storage.put(s));
  }
  deleteStorage(id: ObjectId): void {
    this.#add(storage.del(id));
  }
  putSturdy(s: SturdyRecord): void {
    this.#add(sturdy.put(s));
  }
  putDirectory(path: string, id: ObjectId): void {
    this.#add(directory.put({ path, id }));
  }
  deleteDirectory(path: string): void {
    this.#add(directory.del(path));
  }
  /**
   * Adds a content-addressed block and returns its hash (lowercase hex sha256). A caller that
   * hashed the bytes already passes the hash; the keeper checks it against the bytes either way.
   */
  putBlock(bytes: Uint8Array, knownHash?: string): string {
    const hash = knownHash ?? (bytes instanceof Uint8Array ? hashOf(bytes) : '');
    this.#add(blocks.put({ hash, bytes }));
    return hash;
  }
  deleteBlock(hash: string): void {
    this.#add(blocks.del(hash));
  }
  putCheckpoint(seq: number, manifest: PlainData): void {
    this.#add(checkpoints.put({ seq, manifest }));
  }
  deleteCheckpoint(seq: number): void {
    this.#add(checkpoints.del(seq));
  }
  putTranscript(crank: number, entry: PlainData): void {
    this.#add(transcript.put({ crank, entry }));
  }
  deleteTranscript(crank: number): void {
    this.#add(transcript.del(crank));
  }
  putSnapshot(name: string, record: PlainData): void {
    this.#add(snapshots.put({ name, record }));
  }
  deleteSnapshot(name: string): void {
    this.#add(snapshots.del(name));
  }

  #add(op: BatchOp): void {
    if (this.#sealed) throw new StoreError('invalid', 'this transaction was already committed');
    if (this.#ops.length >= TX_OPS_MAX) throw new StoreError('invalid', `a transaction holds at most ${TX_OPS_MAX} ops`);
    this.#ops.push(op);
  }
}

/** The store's side: takes the ops of a transaction and seals it against reuse. */
export function takeOps(tx: Transaction): BatchOp[] {
  if (!(tx instanceof Transaction)) throw new StoreError('invalid', 'commit needs a Transaction from store.begin()');
  return opsOf(tx);
}
