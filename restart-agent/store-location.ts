/**
 * Where a system's store lives: an embedded classic-level folder (the default), or memory for
 * fast tests. Both go through the store's fault layer, so a simulated power loss can drop
 * what was not synced; for memory, the "disk" outlives the Store object so a restart reopens
 * exactly what was durable.
 */
import { openStore, type MemoryDisk, type Store } from '../store/index.ts';

export type StoreLocation = { backend: 'classic'; path: string } | { backend: 'memory'; disk: MemoryDisk };

/** `groupCommit`: unsynced commits the store holds in memory and writes as one batch (default 1). */
export async function openLocation(location: StoreLocation, create: boolean, groupCommit = 1): Promise<Store> {
  if (location.backend === 'classic') return openStore({ backend: 'classic', path: location.path, create, faults: true, groupCommit });
  return openStore({ backend: 'memory', disk: location.disk, create, faults: true, groupCommit });
}
