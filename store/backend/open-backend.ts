/**
 * Opens the durable backend: a classic-level folder or a MemoryDisk, both as a LevelKv. Turns
 * LevelDB's raw failures into StoreErrors: a missing store, a folder that is not a LevelDB, a
 * lock held by another process.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { StoreError } from '../errors.ts';
import { LevelKv, type LevelDb } from './kv.ts';
import { MemoryDisk } from './memory-disk.ts';

export const DEFAULT_CLASSIC_PATH = './.capsim/default';

/**
 * Folders whose Store is still closing (a close, or a simulated power loss that writes its kept
 * batches first). Opening such a folder waits for that, so "power loss, then reopen" works at
 * once in one process instead of tripping over our own LevelDB lock.
 */
const closingFolders = new Map<string, Promise<void>>();

export async function openClassic(path: string, create: boolean): Promise<LevelKv> {
  const folder = resolve(path);
  await closingFolders.get(folder);
  if (!existsSync(join(folder, 'CURRENT'))) {
    const entries = existsSync(folder) ? readdirSync(folder) : null;
    if (entries !== null && entries.length > 0) throw new StoreError('not_a_store', `${folder} holds files but no LevelDB database`);
    if (!create) throw new StoreError('not_found', `no store at ${folder}`);
    mkdirSync(dirname(folder), { recursive: true });
  }
  const db = new ClassicLevel<string, Uint8Array>(folder, { keyEncoding: 'utf8', valueEncoding: 'view', createIfMissing: create });
  try {
    await db.open();
  } catch (error) {
    throw openError(folder, error);
  }
  return new LevelKv(db as unknown as LevelDb, {
    announce(closing) {
      closingFolders.set(folder, closing);
      void closing.then(() => {
        if (closingFolders.get(folder) === closing) closingFolders.delete(folder);
      });
    },
    release: () => db.close(),
  });
}

export async function openMemory(disk: MemoryDisk): Promise<LevelKv> {
  await disk.closing;
  if (disk.held) throw new StoreError('locked', 'this memory disk is held by another open Store');
  disk.held = true;
  return new LevelKv(disk.db, {
    announce(closing) {
      disk.closing = closing;
    },
    async release() {
      disk.held = false;
      disk.closing = null;
    },
  });
}

function openError(folder: string, error: unknown): StoreError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.message ?? (error as Error).message;
  if (cause?.code === 'LEVEL_LOCKED') {
    return new StoreError('locked', `${folder} is open in another process (or another Store in this one)`, { cause: error });
  }
  if (cause?.code === 'LEVEL_CORRUPTION') {
    return new StoreError('damaged', `LevelDB reports corruption: ${detail}`, { record: 'leveldb files', cause: error });
  }
  if (/does not exist/.test(detail)) return new StoreError('not_found', `no store at ${folder}`, { cause: error });
  return new StoreError('io_error', `cannot open ${folder}: ${detail}`, { cause: error });
}
