/**
 * Where a system's store lives: an embedded classic-level folder (the default), or memory for
 * fast tests. Both go through the store's fault layer, so a simulated power loss can drop
 * what was not synced; for memory, the "disk" outlives the Store object so a restart reopens
 * exactly what was durable.
 */
import { openStore, type MemoryDisk, type Store } from '../store/index.ts';

export type StoreLocation = { backend: 'classic'; path: string } | { backend: 'memory'; disk: MemoryDisk };

export async function openLocation(location: StoreLocation, create: boolean): Promise<Store> {
  if (location.backend === 'classic') return openStore({ backend: 'classic', path: location.path, create, faults: true });
  return openStore({ backend: 'memory', disk: location.disk, create, faults: true });
}
