/**
 * Content-defined chunking of a record stream into blocks, so that a snapshot saved after a
 * small change shares almost every block with the one before it.
 *
 * A chunk ends after a record whose key hashes to 0 mod CUT_MODULUS (or when it reaches
 * CHUNK_BYTES_MAX). The cut depends on the record's key alone, never on its position, so an
 * inserted, removed or changed record moves only the cut points of its own chunk: every other
 * chunk comes out byte for byte the same and is deduplicated by its hash. (Cutting every N
 * records instead would shift every later chunk by one insertion.)
 *
 * Chunk hashes are grouped into a tree the same way, cutting after a hash that is 0 mod
 * GROUP_MODULUS, until one node holds at most ROOT_CHILDREN_MAX of them.
 */
import { hashOf } from './keepers/blocks.ts';
import { encodeLeaf, encodeNode } from './dag.ts';

/** About 32 records per chunk on average. */
export const CUT_MODULUS = 32;
/** A hard bound on a chunk, whatever its keys: one huge storage object is a chunk of its own. */
export const CHUNK_BYTES_MAX = 64 * 1024;
/** The top node names at most this many children; more are grouped into interior nodes first. */
export const ROOT_CHILDREN_MAX = 1024;
const GROUP_MODULUS = 16;
const GROUP_MAX = 1024;

/** FNV-1a, 32 bits: cheap, and stable across runs and machines (unlike a seeded hash). */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Collects encoded entries and cuts them into leaf blocks; `blocks` keeps every block made, by hash. */
export class Chunker {
  readonly blocks = new Map<string, Uint8Array>();
  readonly chunks: string[] = [];
  #parts: Uint8Array[] = [];
  #bytes = 0;

  /** Adds one encoded entry; `key` decides whether the chunk ends after it. */
  add(key: string, encoded: Uint8Array): void {
    this.#parts.push(encoded);
    this.#bytes += encoded.length;
    if (keyHash(key) % CUT_MODULUS === 0 || this.#bytes >= CHUNK_BYTES_MAX) this.#cut();
  }

  /** Ends the last chunk and returns every chunk hash in order. */
  finish(): string[] {
    this.#cut();
    return this.chunks;
  }

  /** Stores a block and returns its hash; an identical block made twice is kept once. */
  keep(bytes: Uint8Array): string {
    const hash = hashOf(bytes);
    this.blocks.set(hash, bytes);
    return hash;
  }

  #cut(): void {
    if (this.#parts.length === 0) return;
    const leaf = encodeLeaf(Buffer.concat(this.#parts));
    this.chunks.push(this.keep(leaf));
    this.#parts = [];
    this.#bytes = 0;
  }
}

/**
 * Groups `hashes` into interior nodes (empty payload) until at most ROOT_CHILDREN_MAX remain,
 * and returns those, saying whether they are still the leaves themselves (then the node above
 * may promise leaf children, so collection need not read them). Each level at least halves the
 * count (a group holds two or more), so the loop ends after at most log2(n) levels.
 */
export function groupLevels(hashes: readonly string[], keep: (bytes: Uint8Array) => string): { top: string[]; leaves: boolean } {
  let level = [...hashes];
  let leaves = true;
  const empty = new Uint8Array(0);
  while (level.length > ROOT_CHILDREN_MAX) {
    const next: string[] = [];
    let group: string[] = [];
    const close = (): void => {
      next.push(keep(encodeNode(group, empty, { leafChildren: leaves })));
      group = [];
    };
    for (const hash of level) {
      group.push(hash);
      const cut = parseInt(hash.slice(0, 8), 16) % GROUP_MODULUS === 0;
      if ((cut && group.length >= 2) || group.length >= GROUP_MAX) close();
    }
    if (group.length > 0) close();
    level = next;
    leaves = false;
  }
  return { top: level, leaves };
}
