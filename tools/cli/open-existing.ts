/**
 * The one voice for "there is no store here": every command that reads a store a previous
 * command made (ps, caps, boot, status, verify, repair, view, replicate --from) says the same
 * line and exits 2, whether the folder is missing, empty, or holds a database with no records.
 */
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
    if (error instanceof StoreError && error.code === 'not_found') throw noSystemIn(path);
    throw error;
  }
}
