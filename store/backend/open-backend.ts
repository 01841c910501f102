/**
 * Opens the durable backend: a classic-level folder or a MemoryDisk, both as a LevelKv. Turns
 * LevelDB's raw failures into StoreErrors: a missing store, a folder that is not a LevelDB, a
 * lock held by another process.
 */
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  checkFolder(folder, create);
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

/** What is at the path, before LevelDB sees it: a file in the way or a folder of other files is named as such. */
function checkFolder(folder: string, create: boolean): void {
  try {
    if (existsSync(join(folder, 'CURRENT'))) return;
    const stat = existsSync(folder) ? statSync(folder) : null;
    if (stat !== null && !stat.isDirectory()) throw new StoreError('not_a_store', `${folder} is a file, not a store folder`);
    const entries = stat !== null ? readdirSync(folder) : null;
    if (entries !== null && entries.length > 0) throw new StoreError('not_a_store', `${folder} holds files but no LevelDB database`);
    if (!create) throw new StoreError('not_found', `no store at ${folder}`);
    mkdirSync(dirname(folder), { recursive: true });
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'EEXIST') throw new StoreError('not_a_store', `${folder}: a file stands where a folder of the path should be`, { cause: error });
    throw new StoreError('io_error', `cannot look at ${folder}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Opens a classic store to look at it. LevelDB always takes a lock file and may write its log
 * on open, so a store this process may not write (a read-only folder or file system) is copied
 * to a temporary folder and the copy opened; the copy is removed when it is closed.
 */
export async function openClassicForInspection(path: string): Promise<{ kv: LevelKv; folder: string; copyOf: string | null }> {
  const folder = resolve(path);
  checkFolder(folder, false);
  if (writable(folder)) return { kv: await openClassic(folder, false), folder, copyOf: null };
  const scratch = mkdtempSync(join(tmpdir(), 'capsim-inspect-'));
  const copy = join(scratch, 'store');
  try {
    cpSync(folder, copy, { recursive: true, filter: (source) => !source.endsWith('/LOCK') });
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw new StoreError('io_error', `cannot read ${folder} to inspect it: ${(error as Error).message}`, { cause: error });
  }
  const kv = await openClassic(copy, false).catch((error: unknown) => {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  });
  const release = kv.close.bind(kv);
  kv.close = (after?: Promise<unknown>) => release(after).finally(() => rmSync(scratch, { recursive: true, force: true }));
  return { kv, folder: copy, copyOf: folder };
}

function writable(folder: string): boolean {
  try {
    accessSync(folder, constants.W_OK);
    for (const name of readdirSync(folder)) accessSync(join(folder, name), constants.W_OK);
    return true;
  } catch {
    return false;
  }
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
  if (/Read-only file system|Permission denied/i.test(detail)) {
    return new StoreError('read_only', `${folder} cannot be written (${oneLine(detail)}): capsim verify can still check it`, { cause: error });
  }
  return new StoreError('io_error', `cannot open ${folder}: ${oneLine(detail)}`, { cause: error });
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
