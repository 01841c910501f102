/**
 * The grid's registry of spawned instances: one JSON file, `<grid>/instances.json`.
 *
 * Why a JSON file and not a capsim store: the registry is bookkeeping about folders, not part of
 * any system's trusted state; a person can read and repair it with an editor; and a capsim store
 * would need a record kind of its own, which only the store's keepers may define. It is written
 * atomically (a temporary file, fsync, rename), so a crash leaves the old registry or the new one.
 * Read-modify-write cycles hold `<grid>/instances.lock` (created exclusively), so two capsim
 * processes cannot lose each other's update; a lock whose process is gone is taken over.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SnapshotError } from './errors.ts';

export const REGISTRY_FORMAT = 'capsim-grid/1';

export interface InstanceEntry {
  name: string;
  /** The snapshot it was spawned from, and the archive store that held it. */
  snapshot: string;
  archive: string;
  /** The principal who spawned it: the only one who may save-as or boom it. */
  owner: string;
  /** kernel/state.ts stateHash right after the spawn's boot. */
  stateHash: string;
  system: string | null;
  seed: number;
  /** Milliseconds since the epoch. */
  created: number;
}

export interface Registry {
  format: string;
  instances: Record<string, InstanceEntry>;
}

const LOCK_TRIES = 50;
const LOCK_WAIT_MS = 100;

export function registryPath(grid: string): string {
  return join(grid, 'instances.json');
}

export function readRegistry(grid: string): Registry {
  const path = registryPath(grid);
  if (!existsSync(path)) return { format: REGISTRY_FORMAT, instances: {} };
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Registry>;
  if (parsed.format !== REGISTRY_FORMAT || typeof parsed.instances !== 'object' || parsed.instances === null) {
    throw new SnapshotError('bad_registry', `${path} is not a ${REGISTRY_FORMAT} registry`);
  }
  return parsed as Registry;
}

export function writeRegistry(grid: string, registry: Registry): void {
  const path = registryPath(grid);
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, `${JSON.stringify(registry, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** Runs `step` holding the grid's lock; waits up to LOCK_TRIES × LOCK_WAIT_MS for another holder. */
export async function withGridLock<T>(grid: string, step: () => Promise<T>): Promise<T> {
  mkdirSync(grid, { recursive: true });
  const lock = join(grid, 'instances.lock');
  for (let attempt = 0; attempt < LOCK_TRIES; attempt++) {
    if (tryLock(lock)) {
      try {
        return await step();
      } finally {
        rmSync(lock, { force: true });
      }
    }
    await sleep(LOCK_WAIT_MS);
  }
  throw new SnapshotError('grid_busy', `the grid ${grid} stays locked by ${lock}: another capsim is spawning or booming there (remove the file if no capsim runs)`);
}

function tryLock(lock: string): boolean {
  try {
    const fd = openSync(lock, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (holderGone(lock)) rmSync(lock, { force: true });
  return false;
}

/** True when the lock names a process that no longer runs (a capsim killed while it held the lock). */
function holderGone(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lock, 'utf8'));
  } catch {
    return false;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
