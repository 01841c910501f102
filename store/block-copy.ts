/**
 * Which blocks reachable from some roots a target store lacks: the shared step of saving from
 * another store, spawning and replicating.
 *
 * Pruning rests on one property every writer of blocks keeps: a block is only ever written in
 * the same batch as (or after) every block below it — a save, a spawn and a replicated snapshot
 * are each one batch. So a block the target has comes with its whole subtree, and the walk
 * need not enter it; this is what makes an unchanged replication touch only the roots.
 *
 * Every block read is checked against its hash on arrival (the blocks keeper checks hash and
 * checksum when the source is a store; the check here holds for any BlockSource).
 */
import { decodeBlock, walkBlocks, type BlockSource } from './dag.ts';
import { StoreError } from './errors.ts';
import { hashOf } from './keepers/blocks.ts';
import type { Store } from './store.ts';

export interface BlockWalk {
  /** Blocks visited (with prune, subtrees the target has are not visited). */
  reached: number;
  bytes: number;
  /** Blocks the target lacks, by hash, each verified. */
  missing: Map<string, Uint8Array>;
  missingBytes: number;
}

/**
 * `prune: true` skips every subtree the target has (copying); `prune: false` visits every
 * reachable block, so that `reached` and `bytes` are the whole size (a snapshot's size).
 */
export async function findMissingBlocks(source: BlockSource, roots: readonly string[], target: Store, opts: { prune: boolean }): Promise<BlockWalk> {
  const walk: BlockWalk = { reached: 0, bytes: 0, missing: new Map(), missingBytes: 0 };
  const present = new Set<string>();
  if (opts.prune) for (const root of roots) if (await target.blocks.has(root)) present.add(root);
  const verified: BlockSource = async (hash) => {
    const bytes = await source(hash);
    if (bytes !== undefined && hashOf(bytes) !== hash) throw new StoreError('damaged', `block ${hash} does not match its hash`, { record: `block ${hash}` });
    return bytes;
  };
  await walkBlocks(verified, roots, {
    skip: (hash) => present.has(hash),
    async visit(hash, bytes) {
      walk.reached++;
      walk.bytes += bytes.length;
      if (opts.prune) {
        // walkBlocks pushes the children after this returns: the ones the target has are skipped.
        for (const child of decodeBlock(bytes, `block ${hash}`).children) if (await target.blocks.has(child)) present.add(child);
      } else if (await target.blocks.has(hash)) {
        return;
      }
      walk.missing.set(hash, bytes);
      walk.missingBytes += bytes.length;
    },
  });
  return walk;
}

/** Reads blocks from a store, checking each one's hash and checksum (a damaged one throws, naming it). */
export function storeBlocks(store: Store): BlockSource {
  return (hash) => store.blocks.get(hash);
}
