/**
 * The checkpoint a snapshot carries along with the records: the store's newest checkpoint
 * record, when its manifest names a root block (every block of that checkpoint is reachable
 * from it). A store of the explicit model has none, and its snapshot holds records only.
 */
import { StoreError, type PlainData, type Store } from '../../store/index.ts';

export interface CheckpointLink {
  seq: number;
  manifest: PlainData;
  root: string;
}

export async function latestCheckpointLink(store: Store): Promise<CheckpointLink | null> {
  let newest: CheckpointLink | null = null;
  // Checkpoints are keyed by sequence number, so the scan ends on the newest.
  for await (const entry of store.checkpoints.scan()) {
    // A damaged checkpoint is not passed over: the snapshot would silently hold an older state.
    if ('damaged' in entry) throw new StoreError('damaged', `cannot snapshot: ${entry.reason}`, { record: entry.record });
    const manifest = entry.manifest as { root?: unknown } | null;
    if (manifest !== null && typeof manifest === 'object' && typeof manifest.root === 'string') newest = { seq: entry.seq, manifest: entry.manifest, root: manifest.root };
  }
  return newest;
}
