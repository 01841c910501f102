/**
 * The grid, as Plan 9 ANTS's: a folder of spawned instances, each a classic-level store of its
 * own, beside the archive store that holds the snapshots.
 *
 *   <grid>/instances/<instance>/   the instance's store (a LevelDB folder)
 *   <grid>/instances.json          the registry (grid-registry.ts): snapshot, owner, state hash
 *
 * spawn boots the instance once, records its state hash and closes it; `status` reads the
 * registry and never opens a store; boom deletes the folder and the entry. Instances belong to
 * the principal who spawned them: only that principal may save-as or boom one.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openStore, type Store } from '../../store/index.ts';
import type { RestartReport } from '../report.ts';
import { SnapshotError } from './errors.ts';
import { readRegistry, withGridLock, writeRegistry, type InstanceEntry } from './grid-registry.ts';
import { checkName } from './names.ts';
import { saveSnapshot, type SaveResult } from './save.ts';
import { spawnSnapshot, type Spawned, type SpecSource } from './spawn.ts';

/** Default instance names try <snapshot>-1, -2, ... up to this many. */
const AUTO_NAMES_MAX = 10_000;

export interface GridSpawnOptions {
  principal: string;
  spec: SpecSource;
  /** The instance name; default the first free <snapshot>-<n>. */
  as?: string;
  seed?: number;
}

export class Grid {
  readonly dir: string;

  constructor(
    dir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.dir = resolve(dir);
  }

  instancePath(instance: string): string {
    return join(this.dir, 'instances', checkName('instance', instance));
  }

  /** Every instance in the registry, in name order (the registry alone: no store is opened). */
  instances(): InstanceEntry[] {
    return Object.values(readRegistry(this.dir).instances).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Spawns `snapshot` from `archive` (whose folder is `archivePath`) as a new instance, boots it once and registers it. */
  spawn(archive: Store, archivePath: string, snapshot: string, opts: GridSpawnOptions): Promise<{ instance: InstanceEntry; report: RestartReport }> {
    return withGridLock(this.dir, async () => {
      const registry = readRegistry(this.dir);
      const name = opts.as ?? this.#freeName(snapshot, registry.instances);
      const path = this.instancePath(name);
      if (registry.instances[name] !== undefined || existsSync(path)) {
        throw new SnapshotError('exists', `instance '${name}' exists already in ${this.dir}: choose another name with --as, or boom it first`);
      }
      let spawned: Spawned;
      try {
        spawned = await spawnSnapshot(archive, snapshot, { principal: opts.principal, spec: opts.spec, seed: opts.seed, target: { backend: 'classic', path } });
        await spawned.system.close();
      } catch (error) {
        // The folder is this spawn's own (it did not exist before): a failed spawn leaves no half instance.
        rmSync(path, { recursive: true, force: true });
        throw error;
      }
      const instance: InstanceEntry = {
        name,
        snapshot,
        archive: resolve(archivePath),
        owner: opts.principal,
        stateHash: spawned.stateHash,
        system: spawned.root.system,
        seed: opts.seed ?? 1,
        created: this.now(),
      };
      registry.instances[name] = instance;
      writeRegistry(this.dir, registry);
      return { instance, report: spawned.report };
    });
  }

  /** Snapshots an instance's current state into `archive` under a new name. */
  async saveAs(archive: Store, instance: string, newName: string, opts: { principal: string; now?: () => number }): Promise<SaveResult> {
    const entry = this.#owned(instance, opts.principal, 'save');
    const source = await openStore({ backend: 'classic', path: this.instancePath(entry.name), create: false });
    try {
      return await saveSnapshot(archive, newName, { principal: opts.principal, source, now: opts.now ?? this.now });
    } finally {
      await source.close();
    }
  }

  /** Frees an instance: its folder and its registry entry. */
  boom(instance: string, principal: string): Promise<InstanceEntry> {
    return withGridLock(this.dir, async () => {
      const entry = this.#owned(instance, principal, 'boom');
      rmSync(this.instancePath(instance), { recursive: true, force: true });
      const registry = readRegistry(this.dir);
      delete registry.instances[instance];
      writeRegistry(this.dir, registry);
      return entry;
    });
  }

  #owned(instance: string, principal: string, verb: string): InstanceEntry {
    checkName('instance', instance);
    const entry = readRegistry(this.dir).instances[instance];
    if (entry === undefined) {
      const known = this.instances().map((i) => i.name);
      const stray = existsSync(this.instancePath(instance)) ? ` (a folder ${this.instancePath(instance)} exists but is not registered: remove it by hand)` : '';
      throw new SnapshotError('unknown_instance', `no instance '${instance}' in the grid ${this.dir}${stray}; instances: ${known.length > 0 ? known.join(', ') : 'none'}`);
    }
    if (entry.owner !== principal) throw new SnapshotError('refused', `principal '${principal}' may not ${verb} instance '${instance}': it belongs to '${entry.owner}'`);
    return entry;
  }

  #freeName(snapshot: string, taken: Record<string, InstanceEntry>): string {
    const folders = new Set(existsSync(join(this.dir, 'instances')) ? readdirSync(join(this.dir, 'instances')) : []);
    for (let n = 1; n <= AUTO_NAMES_MAX; n++) {
      const name = `${snapshot}-${n}`;
      if (taken[name] === undefined && !folders.has(name)) return name;
    }
    throw new SnapshotError('exists', `no free instance name ${snapshot}-1..${AUTO_NAMES_MAX}: name one with --as`);
  }
}
