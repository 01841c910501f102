/**
 * openStore: picks the backend, wraps it in the fault layer if asked, and checks that what it
 * opened is a capsim store of this schema before anyone reads a record.
 */
import { FaultKv } from './backend/fault-layer.ts';
import type { Kv } from './backend/kv.ts';
import { MemoryDisk } from './backend/memory-disk.ts';
import { DEFAULT_CLASSIC_PATH, openClassic, openMemory } from './backend/open-backend.ts';
import { VALUE_FORMAT } from './codec.ts';
import { DamageReason } from './codec.ts';
import { StoreError } from './errors.ts';
import { META_KEY, META_NAME, SCHEMA_VERSION, decodeMeta, putMeta } from './keepers/meta.ts';
import { WHOLE_RANGE } from './keys.ts';
import type { Meta } from './records.ts';
import { GROUP_COMMIT_MAX, Store } from './store.ts';

export interface OpenOptions {
  /** 'classic' (default): a LevelDB folder; 'memory': a MemoryDisk, for fast tests. */
  backend?: 'classic' | 'memory';
  /** classic only; default ./.capsim/default. */
  path?: string;
  /** memory only: the disk to open (to reopen after a simulated power loss); default a fresh one. */
  disk?: MemoryDisk;
  /** Create the store if it is missing; default true. */
  create?: boolean;
  /** Put the fault layer between the store and its backend (store.faults); default false. */
  faults?: boolean;
  /** Transactions per batch for sync:false commits; default 1 (see store.ts). */
  groupCommit?: number;
}

/** ObjectIds start at 1, so that 0 can never name an object by accident. */
const FIRST_ID = 1;

export async function openStore(opts: OpenOptions = {}): Promise<Store> {
  const backend = opts.backend ?? 'classic';
  const create = opts.create ?? true;
  const groupCommit = opts.groupCommit ?? 1;
  if (backend !== 'classic' && backend !== 'memory') throw new StoreError('invalid', `unknown backend ${String(backend)}`);
  if (!Number.isSafeInteger(groupCommit) || groupCommit < 1 || groupCommit > GROUP_COMMIT_MAX) {
    throw new StoreError('invalid', `groupCommit must be an integer in 1..${GROUP_COMMIT_MAX}, not ${groupCommit}`);
  }
  const disk = backend === 'memory' ? (opts.disk ?? new MemoryDisk()) : null;
  const path = opts.path ?? DEFAULT_CLASSIC_PATH;
  const level = disk !== null ? await openMemory(disk) : await openClassic(path, create);
  const faults = opts.faults === true ? new FaultKv(level) : null;
  const kv: Kv = faults ?? level;
  try {
    const meta = await readMeta(kv, create);
    return new Store({ kv, meta, groupCommit, faults, disk, description: disk !== null ? 'the memory store' : `the store at ${path}` });
  } catch (error) {
    await kv.close();
    throw error;
  }
}

/** Reads meta, or writes the first one (synced) into an empty database when create allows. */
async function readMeta(kv: Kv, create: boolean): Promise<Meta> {
  const value = await kv.get(META_KEY);
  if (value === undefined) {
    if (!(await isEmpty(kv))) throw new StoreError('not_a_store', 'the database holds records but no capsim meta record');
    if (!create) throw new StoreError('not_found', 'the database is empty');
    const meta: Meta = { schemaVersion: SCHEMA_VERSION, idHighWater: FIRST_ID, bootCount: 0 };
    await kv.write([putMeta(meta)], true);
    return meta;
  }
  if (value.length > 0 && value[0] !== VALUE_FORMAT) {
    throw new StoreError('schema_mismatch', `values are in format ${value[0]}; this capsim reads format ${VALUE_FORMAT}`, { record: META_NAME });
  }
  let decoded: ReturnType<typeof decodeMeta>;
  try {
    decoded = decodeMeta(value);
  } catch (error) {
    if (error instanceof DamageReason) throw new StoreError('damaged', error.message, { record: META_NAME, cause: error });
    throw error;
  }
  if (decoded.meta === null) {
    throw new StoreError('schema_mismatch', `the store has schema version ${decoded.schemaVersion}; this capsim reads ${SCHEMA_VERSION}`, { record: META_NAME });
  }
  return decoded.meta;
}

async function isEmpty(kv: Kv): Promise<boolean> {
  for await (const chunk of kv.chunks(WHOLE_RANGE)) if (chunk.length > 0) return false;
  return true;
}
