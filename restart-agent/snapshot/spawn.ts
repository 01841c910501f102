/**
 * spawn: a new system instance from a named snapshot, in a store of its own.
 *
 * The records are written back into the empty store through a Transaction (every keeper checks
 * them again), with the checkpoint record and its blocks when the snapshot has one, in one synced
 * batch; the store's ObjectId high-water mark is raised to the saved one, so the instance never
 * reuses an ID the saved system may have handed out (I6). Then the restart agent boots it as it
 * would any store, under the persistence model the saved store ran (explicit records, or the
 * checkpoint it carries). The blocks of the records tree are not copied: the instance has the records
 * themselves, and nothing in it would ever read those blocks again.
 *
 * The same name gives the same store content and so, with the same seed, the same kernel state
 * hash, however often it is spawned (I7).
 */
import { stateHash, type SystemSpec } from '../../kernel/index.ts';
import {
  decodeSnapshotRoot,
  findMissingBlocks,
  raiseIdHighWater,
  storeBlocks,
  StoreError,
  unpackRecords,
  type SnapshotInfo,
  type SnapshotRoot,
  type Store,
} from '../../store/index.ts';
import type { RestartReport } from '../report.ts';
import { openLocation, type StoreLocation } from '../store-location.ts';
import { describeLocation, System } from '../system.ts';
import { requireSpawnRight } from './access.ts';
import { SnapshotError } from './errors.ts';

/** The programs to boot with: a description, or a function from the system name the snapshot records. */
export type SpecSource = SystemSpec | ((system: string | null) => SystemSpec | Promise<SystemSpec>);

export interface SpawnOptions {
  principal: string;
  /** Where the instance's store goes; it must be empty (or not exist yet). */
  target: StoreLocation;
  spec: SpecSource;
  /** The scheduler seed of the booted instance (default 1). */
  seed?: number;
}

export interface Spawned {
  system: System;
  report: RestartReport;
  /** kernel/state.ts stateHash of the instance right after its boot. */
  stateHash: string;
  snapshot: SnapshotInfo;
  root: SnapshotRoot;
}

export async function spawnSnapshot(archive: Store, name: string, opts: SpawnOptions): Promise<Spawned> {
  const snapshot = await requireSpawnRight(archive, name, opts.principal);
  const root = await readRoot(archive, snapshot.root);
  const spec = typeof opts.spec === 'function' ? await opts.spec(root.system) : opts.spec;
  await materialize(archive, root, opts.target);
  // No model is named: the saved store's /model/ directory entry, copied with the records, says which it ran.
  const { system, report } = await System.open({ spec, store: opts.target, seed: opts.seed ?? 1 });
  return { system, report, stateHash: stateHash(system.kernel), snapshot, root };
}

export async function readRoot(archive: Store, hash: string): Promise<SnapshotRoot> {
  const bytes = await archive.blocks.get(hash);
  if (bytes === undefined) throw new StoreError('not_found', `the snapshot's root block ${hash} is missing from ${archive.description}`);
  return decodeSnapshotRoot(bytes, hash);
}

/** Writes the snapshot's state into the empty store at `target`. */
async function materialize(archive: Store, root: SnapshotRoot, target: StoreLocation): Promise<void> {
  const store = await openLocation(target, true);
  try {
    await requireEmpty(store, target);
    const tx = store.begin();
    const { idHighWater } = await unpackRecords(storeBlocks(archive), root.recordsRoot, tx);
    if (root.checkpoint !== null) {
      const walk = await findMissingBlocks(storeBlocks(archive), [root.checkpoint.root], store, { prune: true });
      for (const block of walk.missing.values()) tx.putBlock(block);
      tx.putCheckpoint(root.checkpoint.seq, root.checkpoint.manifest);
    }
    await store.commit(tx, { sync: true });
    await raiseIdHighWater(store, idHighWater);
  } finally {
    await store.close();
  }
}

async function requireEmpty(store: Store, target: StoreLocation): Promise<void> {
  const held = (await store.registrations.count()) + (await store.objects.count()) + (await store.storage.count()) + (await store.directory.count()) + (await store.checkpoints.count());
  if (held > 0) throw new SnapshotError('not_empty', `cannot spawn into ${describeLocation(target)}: it holds ${held} record(s) already; spawn into a new store`);
}
