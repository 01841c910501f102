/**
 * save: an immutable named snapshot of a store's state — its database records, and its newest
 * checkpoint when it has one — as deduplicated blocks in an archive store. The archive is the
 * store itself (`capsim snapshot save`) or another one (`save-as`, from a spawned instance).
 *
 * Only blocks the archive lacks are written, with the name, in one synced batch: a crash leaves
 * either the whole snapshot or no trace of its name. A name that exists is refused, whatever
 * the state: names are immutable, so a name always spawns the same state (I7).
 */
import {
  encodeSnapshotRoot,
  findMissingBlocks,
  hashOf,
  packRecords,
  snapshotInfo,
  snapshotRecord,
  storeBlocks,
  SNAPSHOT_FORMAT,
  type SnapshotInfo,
  type Store,
} from '../../store/index.ts';
import { heldSystemName } from '../system.ts';
import { serialized } from './access.ts';
import { latestCheckpointLink } from './checkpoint-link.ts';
import { SnapshotError } from './errors.ts';
import { checkName } from './names.ts';

export interface SaveOptions {
  principal: string;
  /** The store whose state is saved; default the archive itself. */
  source?: Store;
  /** The clock for `created` (ms since the epoch); tests pass a fixed one. */
  now?: () => number;
}

export interface SaveResult {
  name: string;
  info: SnapshotInfo;
  /** Bytes of the blocks this save wrote. */
  bytesWritten: number;
}

export function saveSnapshot(archive: Store, name: string, opts: SaveOptions): Promise<SaveResult> {
  checkName('snapshot', name);
  checkName('principal', opts.principal);
  return serialized(archive, async () => {
    const existing = await archive.snapshots.get(name);
    if (existing !== undefined) {
      const old = snapshotInfo(name, existing);
      throw new SnapshotError('exists', `snapshot '${name}' exists already (saved by ${old.owner} at ${new Date(old.created).toISOString()}); a name is never overwritten: choose another`);
    }
    const source = opts.source ?? archive;
    const records = await packRecords(source);
    const checkpoint = await latestCheckpointLink(source);
    const system = await heldSystemName(source);
    const rootBytes = encodeSnapshotRoot({ recordsRoot: records.root, checkpoint, system });
    const root = hashOf(rootBytes);
    const blocks = new Map(records.blocks).set(root, rootBytes);

    const tx = archive.begin();
    let count = 0;
    let bytes = 0;
    let written = 0;
    let bytesWritten = 0;
    for (const [hash, block] of blocks) {
      count++;
      bytes += block.length;
      if (await archive.blocks.has(hash)) continue;
      tx.putBlock(block);
      written++;
      bytesWritten += block.length;
    }
    if (checkpoint !== null) {
      // Saving from the archive itself, the checkpoint's blocks are there already; from an instance they are copied.
      const walk = await findMissingBlocks(storeBlocks(source), [checkpoint.root], archive, { prune: false });
      count += walk.reached;
      bytes += walk.bytes;
      for (const block of walk.missing.values()) tx.putBlock(block);
      written += walk.missing.size;
      bytesWritten += walk.missingBytes;
    }
    const c = records.counts;
    const info: SnapshotInfo = {
      root,
      format: SNAPSHOT_FORMAT,
      owner: opts.principal,
      created: (opts.now ?? Date.now)(),
      invited: [],
      system,
      blocks: count,
      bytes,
      blocksWritten: written,
      records: c.registrations + c.objects + c.storage + c.directory,
      checkpointSeq: checkpoint?.seq ?? null,
    };
    tx.putSnapshot(name, snapshotRecord(info));
    await archive.commit(tx, { sync: true });
    return { name, info, bytesWritten };
  });
}
