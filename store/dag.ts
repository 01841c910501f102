/**
 * Blocks that point at blocks: the shape shared by checkpoints, named snapshots and replication.
 *
 * A block is either a leaf (tag 0, then its payload) or a node (tag 1, a u32 count, that many
 * raw 32-byte sha256 hashes of child blocks, then its payload). Tag 2 is a node whose children
 * are all leaves: a walk that only needs hashes (collection) need not read them. Because every reference is
 * visible in the block itself, code that keeps, copies or collects blocks (collection, snapshot
 * spawn, replication) walks any structure without knowing what the payloads mean — the
 * checkpoint format can change without touching them.
 */
import { StoreError } from './errors.ts';

const LEAF = 0;
const NODE = 1;
const NODE_OF_LEAVES = 2;
const HASH_BYTES = 32;
/** Children one node may name: a 2 MiB node is far beyond what the writers build. */
export const NODE_CHILDREN_MAX = 65_536;

export interface DecodedBlock {
  /** Child hashes, lowercase hex, in the order written. */
  children: string[];
  /** The node promised that its children are leaves. */
  leafChildren: boolean;
  payload: Uint8Array;
}

export function encodeLeaf(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + payload.length);
  out[0] = LEAF;
  out.set(payload, 1);
  return out;
}

export function encodeNode(children: readonly string[], payload: Uint8Array, opts: { leafChildren?: boolean } = {}): Uint8Array {
  if (children.length > NODE_CHILDREN_MAX) throw new StoreError('invalid', `a block node names at most ${NODE_CHILDREN_MAX} children, not ${children.length}`);
  const head = 1 + 4 + children.length * HASH_BYTES;
  const out = Buffer.allocUnsafe(head + payload.length);
  out[0] = opts.leafChildren === true ? NODE_OF_LEAVES : NODE;
  out.writeUInt32LE(children.length, 1);
  let at = 5;
  for (const child of children) {
    if (child.length !== HASH_BYTES * 2) throw new StoreError('invalid', `a child reference must be a sha256 hex hash, not '${child}'`);
    out.write(child, at, 'hex');
    at += HASH_BYTES;
  }
  out.set(payload, head);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Splits a block into its references and payload; a block in neither shape is reported as damaged. */
export function decodeBlock(bytes: Uint8Array, name = 'block'): DecodedBlock {
  const damaged = (why: string): never => {
    throw new StoreError('damaged', `${name} is damaged: ${why}`);
  };
  if (bytes.length === 0) damaged('it is empty');
  if (bytes[0] === LEAF) return { children: [], leafChildren: false, payload: bytes.subarray(1) };
  if (bytes[0] !== NODE && bytes[0] !== NODE_OF_LEAVES) damaged(`unknown block tag ${bytes[0]}`);
  if (bytes.length < 5) damaged('its header is cut short');
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const count = buf.readUInt32LE(1);
  if (count > NODE_CHILDREN_MAX) damaged(`it claims ${count} children`);
  const head = 5 + count * HASH_BYTES;
  if (bytes.length < head) damaged('its child list is cut short');
  const children: string[] = new Array(count);
  for (let i = 0; i < count; i++) children[i] = buf.toString('hex', 5 + i * HASH_BYTES, 5 + (i + 1) * HASH_BYTES);
  return { children, leafChildren: bytes[0] === NODE_OF_LEAVES, payload: bytes.subarray(head) };
}

/** Reads a block by hash; undefined when the store lacks it. */
export type BlockSource = (hash: string) => Promise<Uint8Array | undefined>;

export interface WalkOptions {
  /** Not entered: a subtree whose root is here is taken as known (e.g. already marked or already copied). */
  skip?: (hash: string) => boolean;
  /** Called for every block reached, before its children. */
  visit?: (hash: string, bytes: Uint8Array) => void | Promise<void>;
  /** A bound on the blocks visited; a walk that reaches it throws. */
  visitsMax?: number;
  /** False: the children of a leaf-children node are counted as reached without being read (default true). */
  readLeaves?: boolean;
  /**
   * References already known, by block hash. A block's bytes never change under its hash, so
   * what it names never does either: a walk that finds a block here does not read it (and so
   * does not visit it), and adds what it reads. For walks repeated over mostly the same blocks.
   */
  known?: Map<string, { children: string[]; leafChildren: boolean }>;
}

/**
 * Every block reachable from `roots` (roots included), each once. A missing block is an error
 * naming it and the block that referred to it: a walk never silently stops short.
 */
export async function walkBlocks(source: BlockSource, roots: readonly string[], opts: WalkOptions = {}): Promise<Set<string>> {
  const seen = new Set<string>();
  const visitsMax = opts.visitsMax ?? 100_000_000;
  const stack: { hash: string; from: string | null }[] = roots.map((hash) => ({ hash, from: null }));
  while (stack.length > 0) {
    const { hash, from } = stack.pop() as { hash: string; from: string | null };
    if (seen.has(hash) || opts.skip?.(hash) === true) continue;
    if (seen.size >= visitsMax) throw new StoreError('invalid', `a block walk reached its bound of ${visitsMax} blocks`);
    let refs = opts.known?.get(hash);
    if (refs === undefined) {
      const bytes = await source(hash);
      if (bytes === undefined) throw new StoreError('not_found', `block ${hash} is missing${from === null ? '' : ` (named by block ${from})`}`);
      await opts.visit?.(hash, bytes);
      const decoded = decodeBlock(bytes, `block ${hash}`);
      refs = { children: decoded.children, leafChildren: decoded.leafChildren };
      // Only blocks that name others are worth remembering: a leaf's answer is "nothing".
      if (refs.children.length > 0) opts.known?.set(hash, refs);
    }
    seen.add(hash);
    const { children, leafChildren } = refs;
    if (leafChildren && opts.readLeaves === false) {
      for (const child of children) if (opts.skip?.(child) !== true) seen.add(child);
      continue;
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push({ hash: children[i] as string, from: hash });
  }
  return seen;
}
