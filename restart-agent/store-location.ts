/**
 * Where a system's store lives: an embedded classic-level folder (the default), or memory for
 * fast tests.
 *
 * By default both go through the store's fault layer, so that a simulated power loss can drop
 * what was not synced. The fault layer holds unsynced commits in this process's memory until
 * the next sync: in a REAL process kill they are lost with the process. A classic location
 * with `simulatedPowerLoss: false` is for real runs instead: no fault layer, every commit
 * reaches LevelDB as it is made (unsynced ones with sync:false, in the OS's cache), so a real
 * process kill keeps every acknowledged commit and only a real power loss can drop the
 * unsynced ones; System.powerLoss() is then refused. For memory, the "disk" outlives the Store
 * object so a restart reopens exactly what was durable.
 */
import { openStore, type MemoryDisk, type Store } from '../store/index.ts';

export type StoreLocation = { backend: 'classic'; path: string; simulatedPowerLoss?: boolean } | { backend: 'memory'; disk: MemoryDisk };

/** `groupCommit`: unsynced commits the store holds in memory and writes as one batch (default 1). */
export async function openLocation(location: StoreLocation, create: boolean, groupCommit = 1): Promise<Store> {
  if (location.backend === 'classic') return openStore({ backend: 'classic', path: location.path, create, faults: location.simulatedPowerLoss !== false, groupCommit });
  return openStore({ backend: 'memory', disk: location.disk, create, faults: true, groupCommit });
}
