/**
 * Writing a prepared checkpoint to the store: its blocks in batches (not synced), then the
 * manifest in a synced batch of its own. A directory marker brackets the write, so a boot
 * that finds it knows a checkpoint was cut short and collects its orphaned blocks.
 * `interruptAfterBatches` stops after that many batches, for power-loss tests.
 */
import type { Store } from '../../store/index.ts';
import { rememberBlocks } from './known-refs.ts';
import { BLOCKS_PER_BATCH, ORPHANS_MARKER } from './format.ts';
import type { PreparedCheckpoint } from './writer.ts';

/** How a checkpoint write ended: 'complete', or 'interrupted' after the given number of batches. */
export type WriteOutcome = { done: 'complete'; batches: number } | { done: 'interrupted'; batches: number };

export function batchesOf(prepared: PreparedCheckpoint): number {
  return Math.ceil(prepared.blocks.length / BLOCKS_PER_BATCH) + 1;
}

export async function writeCheckpoint(store: Store, prepared: PreparedCheckpoint, opts: { interruptAfterBatches?: number } = {}): Promise<WriteOutcome> {
  const stopAt = opts.interruptAfterBatches ?? Number.POSITIVE_INFINITY;
  let batches = 0;
  for (let at = 0; at < prepared.blocks.length; at += BLOCKS_PER_BATCH) {
    if (batches >= stopAt) return { done: 'interrupted', batches };
    const tx = store.begin();
    if (at === 0) tx.putDirectory(ORPHANS_MARKER, prepared.manifest.seq);
    for (const b of prepared.blocks.slice(at, at + BLOCKS_PER_BATCH)) tx.putBlock(b.bytes, b.hash);
    await store.commit(tx, { sync: false });
    batches++;
  }
  if (batches >= stopAt) return { done: 'interrupted', batches };
  const tx = store.begin();
  tx.putCheckpoint(prepared.manifest.seq, { ...prepared.manifest });
  tx.deleteDirectory(ORPHANS_MARKER);
  // Synced: the manifest, and with it every block batch before it, is durable on return.
  await store.commit(tx, { sync: true });
  rememberBlocks(store, prepared.blocks);
  return { done: 'complete', batches: batches + 1 };
}
