/**
 * The object tree of a checkpoint: a radix tree over ObjectIds, sixteen ways per level. Level 0
 * nodes ("buckets") name the blocks of the objects with IDs [16b, 16b+16); a level-L node names
 * up to sixteen level-(L-1) nodes. A change to k objects rewrites at most k buckets and the
 * nodes above them, so an incremental checkpoint writes in proportion to what changed, and two
 * checkpoints share every unchanged subtree (the collector skips shared subtrees by hash).
 *
 * Node payload: msgpack [level, index, offsets], offsets = which of the sixteen are present,
 * in the order of the node's children.
 */
import { Packr } from 'msgpackr';
import { decodeBlock, encodeNode, hashOf } from '../../store/index.ts';
import type { ObjectId } from '../../kernel/index.ts';

const FAN = 16;
const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false, bundleStrings: false });

export interface NodePayload {
  level: number;
  index: number;
  offsets: number[];
}

export function decodeTreeNode(bytes: Uint8Array, name: string): { children: string[]; node: NodePayload } {
  const { children, payload } = decodeBlock(bytes, name);
  const wire = packr.unpack(payload) as unknown;
  if (!Array.isArray(wire) || wire.length !== 3 || !Number.isSafeInteger(wire[0]) || !Number.isSafeInteger(wire[1]) || !Array.isArray(wire[2]) || wire[2].length !== children.length) {
    throw new Error(`${name} is not a checkpoint tree node`);
  }
  return { children, node: { level: wire[0], index: wire[1], offsets: wire[2] as number[] } };
}

/** Receives each new node block; returns nothing, the tree knows the hash already. */
export type BlockSink = (hash: string, bytes: Uint8Array) => void;

export class IdTree {
  /** Object ID → its block's hash. */
  /** Object ID → its block's hash; change it through set, delete and adoptObject only. */
  readonly objects = new Map<ObjectId, string>();
  /** Per level, node index → node hash. */
  private levels: Map<number, string>[] = [];
  private height = -1;
  private dirty = new Set<number>();
  private rootHash: string | null = null;
  /** The highest ID held; -1 when it must be found again (the highest was deleted). */
  private maxId = 0;

  get size(): number {
    return this.objects.size;
  }

  get root(): string | null {
    return this.rootHash;
  }

  set(id: ObjectId, hash: string): void {
    if (this.objects.get(id) === hash) return;
    this.objects.set(id, hash);
    if (this.maxId >= 0 && id > this.maxId) this.maxId = id;
    this.dirty.add(Math.floor(id / FAN));
  }

  delete(id: ObjectId): void {
    if (!this.objects.delete(id)) return;
    this.dirty.add(Math.floor(id / FAN));
    if (id === this.maxId) this.maxId = -1;
  }

  /** Brings every node up to date, hands new node blocks to `sink`, and returns the root hash. */
  build(sink: BlockSink): string {
    if (this.maxId < 0) {
      this.maxId = 0;
      for (const id of this.objects.keys()) if (id > this.maxId) this.maxId = id;
    }
    const maxId = this.maxId;
    let height = 0;
    for (let span = Math.floor(maxId / FAN); span > 0; span = Math.floor(span / FAN)) height++;
    const regrown = height !== this.height;
    if (regrown) {
      // The levels above the buckets are rebuilt whole: the root moves when the tree grows or shrinks.
      this.levels = [this.levels[0] ?? new Map()];
      this.height = height;
    }
    let dirty = this.dirty;
    this.dirty = new Set();
    for (let level = 0; level <= height; level++) {
      const nodes = this.levelMap(level);
      if (regrown && level > 0) dirty = new Set([...this.levelMap(level - 1).keys()].map((i) => Math.floor(i / FAN)));
      const above = new Set<number>();
      for (const index of [...dirty].sort((a, b) => a - b)) {
        const built = this.buildNode(level, index);
        if (built === null) {
          if (nodes.delete(index)) above.add(Math.floor(index / FAN));
          continue;
        }
        const hash = hashOf(built);
        if (nodes.get(index) === hash) continue;
        nodes.set(index, hash);
        sink(hash, built);
        above.add(Math.floor(index / FAN));
      }
      dirty = above;
    }
    let root = this.levelMap(height).get(0);
    if (root === undefined) {
      const empty = encodeNode([], packr.pack([height, 0, []]));
      root = hashOf(empty);
      sink(root, empty);
    }
    this.rootHash = root;
    return root;
  }

  /** Rebuilds the in-memory index from a checkpoint as read, so the next checkpoint writes only changes. */
  adoptNode(node: NodePayload, hash: string, height: number): void {
    this.height = height;
    this.levelMap(node.level).set(node.index, hash);
  }

  /** An object as the checkpoint read holds it: known, so not dirty. */
  adoptObject(id: ObjectId, hash: string): void {
    this.objects.set(id, hash);
    if (this.maxId >= 0 && id > this.maxId) this.maxId = id;
  }

  adoptRoot(hash: string): void {
    this.rootHash = hash;
  }

  private levelMap(level: number): Map<number, string> {
    while (this.levels.length <= level) this.levels.push(new Map());
    return this.levels[level] as Map<number, string>;
  }

  private buildNode(level: number, index: number): Uint8Array | null {
    const children: string[] = [];
    const offsets: number[] = [];
    for (let offset = 0; offset < FAN; offset++) {
      const key = index * FAN + offset;
      const hash = level === 0 ? this.objects.get(key) : this.levelMap(level - 1).get(key);
      if (hash === undefined) continue;
      children.push(hash);
      offsets.push(offset);
    }
    if (children.length === 0 && !(level === this.height && index === 0 && level > 0)) return null;
    return encodeNode(children, packr.pack([level, index, offsets]), { leafChildren: level === 0 });
  }
}

export const TREE_FAN = FAN;
