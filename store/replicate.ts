/**
 * Replication, as venti + ventiprog: bring a second store up to date with a first one's named
 * snapshots by copying only the blocks it lacks.
 *
 * Per snapshot name, in name order:
 *   - the target has the name with the same root: skipped (nothing to copy: names are immutable);
 *   - the target has it with another root: a conflict, reported and left alone;
 *   - otherwise every block reachable from the root that the target lacks is read from the
 *     source (hash and checksum checked on arrival), and the blocks and the name are written in
 *     ONE synced batch, so the target never names a snapshot whose blocks it does not all have.
 * A damaged or missing source block is reported with the snapshot it belongs to, and nothing of
 * that snapshot is written; the other snapshots still replicate.
 */
import { findMissingBlocks, storeBlocks } from './block-copy.ts';
import { StoreError } from './errors.ts';
import { isDamaged, type PlainData } from './records.ts';
import { snapshotInfo } from './snapshot-format.ts';
import type { Store } from './store.ts';

export interface ReplicationReport {
  blocksCopied: number;
  bytesCopied: number;
  /** Names copied this run. */
  snapshotsCopied: string[];
  /** Names the target had already, with the same root. */
  skipped: string[];
  /** Names the target has with another root: never overwritten. */
  conflicts: { name: string; sourceRoot: string; targetRoot: string }[];
  /** What could not be copied: the snapshot, the record or block at fault, and why. */
  damaged: { snapshot: string; record: string; reason: string }[];
}

export async function replicate(from: Store, to: Store): Promise<ReplicationReport> {
  const report: ReplicationReport = { blocksCopied: 0, bytesCopied: 0, snapshotsCopied: [], skipped: [], conflicts: [], damaged: [] };
  for await (const entry of from.snapshots.scan()) {
    if (isDamaged(entry)) {
      report.damaged.push({ snapshot: entry.record.replace(/^snapshot /, ''), record: entry.record, reason: entry.reason });
      continue;
    }
    try {
      await replicateOne(from, to, entry.name, entry.record, report);
    } catch (error) {
      if (!(error instanceof StoreError) || (error.code !== 'damaged' && error.code !== 'not_found')) throw error;
      report.damaged.push({ snapshot: entry.name, record: error.record ?? recordOf(error.message), reason: error.message });
    }
  }
  return report;
}

async function replicateOne(from: Store, to: Store, name: string, record: PlainData, report: ReplicationReport): Promise<void> {
  const info = snapshotInfo(name, record);
  const existing = await to.snapshots.get(name);
  if (existing !== undefined) {
    const targetRoot = snapshotInfo(name, existing).root;
    if (targetRoot === info.root) report.skipped.push(name);
    else report.conflicts.push({ name, sourceRoot: info.root, targetRoot });
    return;
  }
  const walk = await findMissingBlocks(storeBlocks(from), [info.root], to, { prune: true });
  const tx = to.begin();
  for (const [hash, bytes] of walk.missing) {
    if (tx.putBlock(bytes) !== hash) throw new StoreError('damaged', `block ${hash} changed on its way to the target`, { record: `block ${hash}` });
  }
  tx.putSnapshot(name, record);
  await to.commit(tx, { sync: true });
  report.blocksCopied += walk.missing.size;
  report.bytesCopied += walk.missingBytes;
  report.snapshotsCopied.push(name);
}

/** "block <hash>" out of a message that names one (walkBlocks' missing-block error), else the message's subject. */
function recordOf(message: string): string {
  return /block [0-9a-f]{64}/.exec(message)?.[0] ?? 'snapshot';
}
