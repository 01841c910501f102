/**
 * A store's database records (registrations, objects, storage, directory) as a tree of
 * content-addressed blocks, and back: what a named snapshot keeps of the explicit model.
 *
 * Each record is one msgpack entry [tag, record] (tag = the keeper's key prefix), in key order,
 * kind after kind; record-chunks.ts cuts the entries into leaves at content-defined points. The
 * records root is a node naming the top level of leaves (or interior nodes) in order; its
 * payload is msgpack { format, idHighWater, counts }. idHighWater travels with the records so
 * that a store spawned from them never hands out an ObjectId the saved system may have used (I6).
 *
 * Writing back goes through a Transaction: every record passes its keeper's check again, so a
 * block that decodes to a malformed record is refused, never stored.
 */
import { Packr } from 'msgpackr';
import { decodeBlock, encodeNode, type BlockSource } from './dag.ts';
import { StoreError } from './errors.ts';
import { Chunker, groupLevels } from './record-chunks.ts';
import { isDamaged, type DirectoryEntry, type ObjectRecord, type Registration, type StorageRecord } from './records.ts';
import { RESERVE_MAX, type Store } from './store.ts';
import type { Transaction } from './transaction.ts';

export const RECORDS_FORMAT = 'capsim-records/1';

// The same plain msgpack as codec.ts: no record extension, so the bytes depend on the data alone.
const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false, bundleStrings: false });

export interface RecordCounts {
  registrations: number;
  objects: number;
  storage: number;
  directory: number;
}

export interface PackedRecords {
  /** The records root block's hash. */
  root: string;
  /** Every block of the tree, root included, by hash. */
  blocks: Map<string, Uint8Array>;
  counts: RecordCounts;
  idHighWater: number;
}

interface RootPayload {
  format: string;
  idHighWater: number;
  counts: RecordCounts;
}

/** msgpackr packs into a shared buffer: each entry is copied before the next pack reuses it. */
function pack(value: unknown): Uint8Array {
  return Uint8Array.from(packr.pack(value));
}

/**
 * Reads every record of the four kinds and builds their block tree (in memory; nothing is
 * written). A damaged record stops it: a snapshot that silently lacked a record would spawn a
 * different system.
 */
export async function packRecords(store: Store): Promise<PackedRecords> {
  const chunker = new Chunker();
  const counts: RecordCounts = { registrations: 0, objects: 0, storage: 0, directory: 0 };
  const kinds = [
    { tag: 'r', field: 'registrations', reader: store.registrations, key: (r: Registration) => String(r.id) },
    { tag: 'o', field: 'objects', reader: store.objects, key: (o: ObjectRecord) => String(o.id) },
    { tag: 's', field: 'storage', reader: store.storage, key: (s: StorageRecord) => String(s.id) },
    { tag: 'd', field: 'directory', reader: store.directory, key: (e: DirectoryEntry) => e.path },
  ] as const;
  for (const kind of kinds) {
    const key = kind.key as (record: unknown) => string;
    for await (const chunk of kind.reader.scanChunks()) {
      for (const record of chunk) {
        if (isDamaged(record)) throw new StoreError('damaged', `cannot snapshot ${store.description}: ${record.reason}`, { record: record.record });
        chunker.add(kind.tag + key(record), pack([kind.tag, record]));
        counts[kind.field]++;
      }
    }
  }
  const { top, leaves } = groupLevels(chunker.finish(), (bytes) => chunker.keep(bytes));
  const payload: RootPayload = { format: RECORDS_FORMAT, idHighWater: store.meta.idHighWater, counts };
  const root = chunker.keep(encodeNode(top, pack(payload), { leafChildren: leaves && top.length > 0 }));
  return { root, blocks: chunker.blocks, counts, idHighWater: store.meta.idHighWater };
}

/**
 * Writes the records under `root` into `tx`; returns what the root says of them. Blocks come
 * from `source` (which checks each one's hash); any block that is missing, malformed or holds a
 * record its keeper refuses throws StoreError('damaged') naming the block.
 */
export async function unpackRecords(source: BlockSource, root: string, tx: Transaction): Promise<{ counts: RecordCounts; idHighWater: number }> {
  const rootBytes = await need(source, root);
  const rootBlock = decodeBlock(rootBytes, `block ${root}`);
  const meta = rootPayload(rootBlock.payload, root);
  const written: RecordCounts = { registrations: 0, objects: 0, storage: 0, directory: 0 };
  // Depth-first in child order keeps the records in the order they were saved; the stack only
  // ever holds the unvisited siblings of one path, and every block is visited once.
  const stack = [...rootBlock.children].reverse();
  let visits = 0;
  while (stack.length > 0) {
    const hash = stack.pop() as string;
    if (++visits > 100_000_000) throw new StoreError('damaged', `the records under block ${root} do not end`);
    const bytes = await need(source, hash);
    const block = decodeBlock(bytes, `block ${hash}`);
    if (bytes[0] === 0) writeChunk(block.payload, hash, tx, written);
    else for (let i = block.children.length - 1; i >= 0; i--) stack.push(block.children[i] as string);
  }
  for (const field of Object.keys(written) as (keyof RecordCounts)[]) {
    if (written[field] !== meta.counts[field]) throw new StoreError('damaged', `block ${root} promises ${meta.counts[field]} ${field} records; its chunks hold ${written[field]}`);
  }
  return { counts: meta.counts, idHighWater: meta.idHighWater };
}

function writeChunk(payload: Uint8Array, hash: string, tx: Transaction, written: RecordCounts): void {
  let entries: unknown[];
  try {
    entries = packr.unpackMultiple(payload) as unknown[];
  } catch (error) {
    throw new StoreError('damaged', `block ${hash} does not decode: ${(error as Error).message}`);
  }
  for (const entry of entries) {
    try {
      if (!Array.isArray(entry) || entry.length !== 2) throw new Error('an entry is not a [tag, record] pair');
      putEntry(tx, entry[0], entry[1] as never, written);
    } catch (error) {
      throw new StoreError('damaged', `block ${hash} holds a bad record: ${(error as Error).message}`);
    }
  }
}

/** One record into the transaction, where its keeper checks it; counts it by kind. */
function putEntry(tx: Transaction, tag: unknown, record: never, written: RecordCounts): void {
  switch (tag) {
    case 'r':
      tx.putRegistration(record);
      written.registrations++;
      return;
    case 'o':
      tx.putObject(record);
      written.objects++;
      return;
    case 's':
      tx.putStorage(record);
      written.storage++;
      return;
    case 'd': {
      const entry = record as DirectoryEntry;
      tx.putDirectory(entry.path, entry.id);
      written.directory++;
      return;
    }
    default:
      throw new Error(`unknown record tag ${String(tag)}`);
  }
}

function rootPayload(payload: Uint8Array, hash: string): RootPayload {
  let value: unknown;
  try {
    value = packr.unpack(payload);
  } catch (error) {
    throw new StoreError('damaged', `block ${hash} is no records root: ${(error as Error).message}`);
  }
  const p = value as Partial<RootPayload> | null;
  if (p === null || typeof p !== 'object' || p.format !== RECORDS_FORMAT || !Number.isSafeInteger(p.idHighWater) || typeof p.counts !== 'object' || p.counts === null) {
    throw new StoreError('damaged', `block ${hash} is no ${RECORDS_FORMAT} records root`);
  }
  return p as RootPayload;
}

async function need(source: BlockSource, hash: string): Promise<Uint8Array> {
  const bytes = await source(hash);
  if (bytes === undefined) throw new StoreError('not_found', `block ${hash} is missing`);
  return bytes;
}

/** The largest high-water mark raiseIdHighWater accepts: 2^30 IDs is far beyond any saved system. */
export const ID_RAISE_MAX = 1024 * RESERVE_MAX;

/**
 * Raises a store's durable ObjectId high-water mark to at least `mark`, through reserveIds (the
 * store's one way to move it): IDs below `mark` are consumed, never handed out by this store.
 */
export async function raiseIdHighWater(store: Store, mark: number): Promise<void> {
  if (!Number.isSafeInteger(mark) || mark > ID_RAISE_MAX) throw new StoreError('invalid', `cannot raise the ID high-water mark to ${mark} (at most ${ID_RAISE_MAX})`);
  if (store.meta.idHighWater >= mark) return;
  let { end } = await store.reserveIds(1);
  // A reservation that ends past the mark raises it: each call but the last ends RESERVE_MAX
  // further on, so this runs at most ID_RAISE_MAX / RESERVE_MAX + 1 times.
  for (let calls = 0; store.meta.idHighWater < mark && calls <= ID_RAISE_MAX / RESERVE_MAX; calls++) {
    end = (await store.reserveIds(Math.max(1, Math.min(RESERVE_MAX, mark - end)))).end;
  }
}
