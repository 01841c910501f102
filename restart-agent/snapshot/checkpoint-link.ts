/**
 * The checkpoint a snapshot carries along with the records: the store's newest checkpoint (the
 * checkpoint model's latestCheckpoint), whose manifest names the root block every block of that
 * checkpoint is reachable from. A store of the explicit model has none, and its snapshot holds
 * records only.
 */
import type { PlainData, Store } from '../../store/index.ts';
import { latestCheckpoint } from '../checkpoint/index.ts';

export interface CheckpointLink {
  seq: number;
  manifest: PlainData;
  root: string;
}

export async function latestCheckpointLink(store: Store): Promise<CheckpointLink | null> {
  const newest = await latestCheckpoint(store);
  if (newest === null) return null;
  return { seq: newest.seq, manifest: { ...newest.manifest }, root: newest.manifest.root };
}
