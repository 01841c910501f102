/**
 * Reads a checkpoint back into kernel state: the newest complete one, or, when its blocks are
 * damaged or missing, the newest older one that reads whole (the report says which were
 * passed over and why). The result is a KernelState for kernel/state.ts importState, so the
 * restored kernel continues exactly as the checkpointed one would have (DESIGN.md I10).
 */
import { KERNEL_STATE_FORMAT, type ObjectId, type CapState, type KernelState, type MessageState, type ObjectState } from '../../kernel/index.ts';
import { isDamaged, StoreError, type Store } from '../../store/index.ts';
import { decodeBlock } from '../../store/index.ts';
import { isManifest, packr, type CheckpointGlobals, type CheckpointManifest } from './format.ts';
import { decodeTreeNode, IdTree } from './id-tree.ts';
import { knownRefs } from './known-refs.ts';
import type { CapRecord, MessageRecord, ObjectRecord } from './object-codec.ts';
import { sturdyAnchors } from './sturdy-codec.ts';

export interface ReadCheckpoint {
  manifest: CheckpointManifest;
  globals: CheckpointGlobals;
  state: KernelState;
  /** The object tree as read, for a writer that continues from here. */
  tree: IdTree;
}

/** Every checkpoint record that parses, newest first (the manifest only: no block is read). */
export async function listCheckpoints(store: Store): Promise<CheckpointManifest[]> {
  const out: CheckpointManifest[] = [];
  for await (const c of store.checkpoints.scan()) {
    if (isDamaged(c)) continue;
    if (isManifest(c.manifest)) out.push(c.manifest);
  }
  return out.sort((a, b) => b.seq - a.seq);
}

/** The newest checkpoint record, or null when the store holds none. */
export async function latestCheckpoint(store: Store): Promise<{ seq: number; manifest: CheckpointManifest } | null> {
  const [newest] = await listCheckpoints(store);
  return newest === undefined ? null : { seq: newest.seq, manifest: newest };
}

/** The newest checkpoint that reads whole, with the newer ones that did not and why. */
export async function readNewestCheckpoint(store: Store): Promise<{ read: ReadCheckpoint | null; passedOver: { seq: number; reason: string }[] }> {
  const passedOver: { seq: number; reason: string }[] = [];
  for (const manifest of await listCheckpoints(store)) {
    try {
      return { read: await readCheckpoint(store, manifest), passedOver };
    } catch (error) {
      if (!(error instanceof StoreError) && !(error instanceof CheckpointDamage)) throw error;
      passedOver.push({ seq: manifest.seq, reason: error.message });
    }
  }
  return { read: null, passedOver };
}

class CheckpointDamage extends Error {}

/** Block reads in flight at once while restoring. */
const READS_IN_FLIGHT = 256;

/** Reads `items` in order, at most READS_IN_FLIGHT at a time. */
async function readAll<T>(items: readonly T[], read: (item: T) => Promise<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = new Array(items.length);
  for (let at = 0; at < items.length; at += READS_IN_FLIGHT) {
    const part = await Promise.all(items.slice(at, at + READS_IN_FLIGHT).map(read));
    for (let i = 0; i < part.length; i++) out[at + i] = part[i] as Uint8Array;
  }
  return out;
}

export async function readCheckpoint(store: Store, manifest: CheckpointManifest): Promise<ReadCheckpoint> {
  const get = async (hash: string, what: string): Promise<Uint8Array> => {
    const bytes = await store.blocks.get(hash);
    if (bytes === undefined) throw new CheckpointDamage(`checkpoint ${manifest.seq}: ${what} ${hash} is missing`);
    return bytes;
  };
  const rootBlock = decodeBlock(await get(manifest.root, 'root block'), `checkpoint ${manifest.seq} root`);
  const globals = packr.unpack(rootBlock.payload) as CheckpointGlobals;
  const treeRoot = rootBlock.children[0];
  if (treeRoot === undefined || typeof globals !== 'object' || globals === null || typeof globals.kernel !== 'object') {
    throw new CheckpointDamage(`checkpoint ${manifest.seq}: the root block is not a checkpoint root`);
  }
  const known = knownRefs(store);
  known.set(manifest.root, { children: rootBlock.children, leafChildren: rootBlock.leafChildren });
  const tree = new IdTree();
  const records: ObjectRecord[] = [];
  // Level by level, each level's blocks read READS_IN_FLIGHT at a time: one get at a time left
  // the backend idle between them (a 100,000-object checkpoint took 6 s to read).
  let level: string[] = [treeRoot];
  let height = -1;
  let nodes = 0;
  while (level.length > 0) {
    nodes += level.length;
    if (nodes > 4 * (manifest.objects + 16)) throw new CheckpointDamage(`checkpoint ${manifest.seq}: its tree is larger than its ${manifest.objects} objects allow`);
    const below: string[] = [];
    const leaves: { id: ObjectId; hash: string }[] = [];
    const blocks = await readAll(level, (hash) => get(hash, 'tree node'));
    for (let n = 0; n < level.length; n++) {
      const hash = level[n] as string;
      const { children, node } = decodeTreeNode(blocks[n] as Uint8Array, `checkpoint ${manifest.seq} tree node ${hash}`);
      if (height < 0) height = node.level;
      tree.adoptNode(node, hash, height);
      // Read whole for the restore anyway: the next collection need not read it again.
      known.set(hash, { children, leafChildren: node.level === 0 });
      if (node.level > 0) below.push(...children);
      else for (let i = 0; i < children.length; i++) leaves.push({ id: node.index * 16 + (node.offsets[i] as number), hash: children[i] as string });
    }
    const objects = await readAll(leaves, (leaf) => get(leaf.hash, `object ${leaf.id}`));
    for (let i = 0; i < leaves.length; i++) {
      const { id, hash } = leaves[i] as { id: ObjectId; hash: string };
      const record = packr.unpack(decodeBlock(objects[i] as Uint8Array).payload) as ObjectRecord;
      if (!Array.isArray(record) || record[1] !== id) throw new CheckpointDamage(`checkpoint ${manifest.seq}: the block for object ${id} holds something else`);
      tree.adoptObject(id, hash);
      records.push(record);
    }
    level = below;
  }
  tree.adoptRoot(treeRoot);
  if (records.length !== manifest.objects) throw new CheckpointDamage(`checkpoint ${manifest.seq}: ${records.length} objects read, its manifest says ${manifest.objects}`);
  records.sort((a, b) => a[1] - b[1]);
  return { manifest, globals, state: toKernelState(records, globals), tree };
}

export interface HeldCap {
  rec: CapRecord;
  holder: CapState['holder'];
}

function toKernelState(records: ObjectRecord[], globals: CheckpointGlobals): KernelState {
  // Capabilities in order of appearance: objects by ID, each process's c-list, then its queue.
  const held: HeldCap[] = [];
  const messageCaps = new Map<MessageRecord, HeldCap[]>();
  const collectMessage = (m: MessageRecord): void => {
    if (m[6] === null) return;
    const list = m[6].map((rec, index) => ({ rec, holder: { seq: m[0], index } }));
    messageCaps.set(m, list);
    held.push(...list);
  };
  for (const r of records) {
    if (r[0] !== 'p') continue;
    for (const rec of r[14]) held.push({ rec, holder: { pid: r[1], slot: rec[0] } });
    for (const m of r[13]) collectMessage(m);
    if (r[12] !== null) collectMessage(r[12]);
  }
  const sturdy = sturdyAnchors(globals.sturdy ?? []);
  held.push(...sturdy.anchors);
  const bySerial = new Map<number, HeldCap>();
  for (const h of held) bySerial.set(h.rec[1], h);
  const kids = new Map<number, HeldCap[]>();
  const roots: HeldCap[] = [];
  for (const h of held) {
    const parent = h.rec[5];
    if (parent === 0) {
      roots.push(h);
      continue;
    }
    if (!bySerial.has(parent)) throw new CheckpointDamage(`capability ${h.rec[1]} names parent ${parent}, which the checkpoint does not hold`);
    const list = kids.get(parent);
    if (list === undefined) kids.set(parent, [h]);
    else list.push(h);
  }
  for (const list of kids.values()) list.sort((a, b) => a.rec[6] - b.rec[6]);
  const caps: CapState[] = [];
  const indexOf = new Map<HeldCap, number>();
  const stack: { h: HeldCap; parent: number | null }[] = [];
  for (const root of roots) {
    stack.push({ h: root, parent: null });
    while (stack.length > 0) {
      const { h, parent } = stack.pop() as { h: HeldCap; parent: number | null };
      if (indexOf.has(h)) throw new CheckpointDamage(`capability ${h.rec[1]} appears twice in the derivation tree`);
      indexOf.set(h, caps.length);
      const [, serial, object, rights, badge, , , capId, name] = h.rec;
      caps.push({ object, rights, badge, parent, holder: h.holder, name: 'pid' in h.holder ? name : null, capId, serial });
      const children = kids.get(serial) ?? [];
      const me = caps.length - 1;
      for (let i = children.length - 1; i >= 0; i--) stack.push({ h: children[i] as HeldCap, parent: me });
    }
  }
  if (caps.length !== held.length) throw new CheckpointDamage(`${held.length - caps.length} capabilities hang in a derivation cycle`);
  const message = (m: MessageRecord): MessageState => ({
    seq: m[0], type: m[1] as MessageState['type'], target: m[2], endpoint: m[3], badge: m[4], payload: m[5],
    caps: m[6] === null ? null : (messageCaps.get(m) as HeldCap[]).map((h) => indexOf.get(h) as number),
    reply: m[7], account: m[8], from: m[9], error: m[10],
  });
  const objects: ObjectState[] = records.map((r): ObjectState => {
    switch (r[0]) {
      case 'p':
        return {
          id: r[1], kind: 'process', alive: r[2], program: r[3], args: r[4], state: r[5], status: r[6] as Extract<ObjectState, { kind: 'process' }>['status'],
          generation: r[7], debt: r[8], lastFault: r[9], store: r[10], awaiting: r[11], answer: r[12] === null ? null : message(r[12]), inbox: r[13].map(message),
        };
      case 'e':
        return { id: r[1], kind: 'endpoint', alive: r[2], owner: r[3], pending: r[4] };
      case 'r':
        return { id: r[1], kind: 'reply', alive: r[2], caller: r[3], used: r[4], weak: r[5] };
      case 's':
        return { id: r[1], kind: 'storage', alive: r[2], data: r[3], version: r[4] };
      case 't':
        return { id: r[1], kind: 'store', alive: r[2], owner: r[3] };
      case 'g':
        return { id: r[1], kind: 'gatekeeper', alive: r[2] };
      default:
        throw new CheckpointDamage(`an object block of unknown kind '${String((r as unknown[])[0])}'`);
    }
  });
  return { format: KERNEL_STATE_FORMAT, ...globals.kernel, objects, caps, sturdy: sturdy.states((h) => indexOf.get(h) ?? null) };
}
