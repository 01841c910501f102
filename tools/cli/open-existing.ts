/**
 * The one voice for "there is no store here": every command that reads a store a previous
 * command made (ps, caps, boot, status, verify, repair, view, replicate --from) says the same
 * line and exits 2, whether the folder is missing or holds no database. A database whose
 * records are all gone is damage, and says so.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, StoreError, type OpenOptions, type Store } from '../../store/index.ts';
import { UsageError } from './errors.ts';

/** The usage error for a folder that holds no capsim store. */
export function noSystemIn(dir: string): UsageError {
  return new UsageError(`no capsim system in ${dir}: make one with 'capsim run <system> --store ${dir}'`);
}

/** Opens an existing classic-level store; a folder with none is `noSystemIn`, every other error passes. */
export async function openExistingStore(path: string, options: Omit<OpenOptions, 'backend' | 'path' | 'create'> = {}): Promise<Store> {
  try {
    return await openStore({ ...options, backend: 'classic', path, create: false });
  } catch (error) {
    // A LevelDB that opens empty is not "no store": its records are gone (the store's own
    // error says so); only a folder with no database in it is the user pointing at nothing.
    if (error instanceof StoreError && error.code === 'not_found' && !existsSync(join(path, 'CURRENT'))) throw noSystemIn(path);
    throw error;
  }
}
