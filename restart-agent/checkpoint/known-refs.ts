/**
 * What each node block names, remembered per open store between collections: the kept
 * checkpoints share most of their tree, so a collection need read only nodes it has not seen.
 * The writer adds the nodes it writes, a restore the nodes it reads. A block's content never
 * changes under its hash, so nothing here goes stale; collection drops entries that no kept
 * checkpoint or snapshot reaches.
 */
import { decodeBlock, type Store } from '../../store/index.ts';

export interface Refs {
  children: string[];
  leafChildren: boolean;
}

const remembered = new WeakMap<Store, Map<string, Refs>>();

export function knownRefs(store: Store): Map<string, Refs> {
  let known = remembered.get(store);
  if (known === undefined) {
    known = new Map();
    remembered.set(store, known);
  }
  return known;
}

/** Remembers what the node blocks among `blocks` name, from their bytes in memory. */
export function rememberBlocks(store: Store, blocks: readonly { hash: string; bytes: Uint8Array }[]): void {
  const known = knownRefs(store);
  for (const b of blocks) {
    if (b.bytes[0] === 0) continue; // a leaf names nothing
    const { children, leafChildren } = decodeBlock(b.bytes, `block ${b.hash}`);
    known.set(b.hash, { children, leafChildren });
  }
}
