/**
 * Takes checkpoints of a running kernel, incrementally. Between two checkpoints it remembers
 * each object's signature (change-detect.ts) and block hash (the object tree), so a checkpoint
 * encodes only objects whose fields changed, writes only blocks whose content is new, and
 * rewrites only the tree nodes above them.
 *
 * One writer per kernel: its notes on the objects are its own (another writer's are ignored),
 * but the capabilities' `capsTouched` flags, which it clears, are shared.
 *
 * `prepare` runs at a crank boundary and is synchronous: the kernel cannot move while the cut
 * is taken. It returns the blocks to write and the manifest; the caller writes them (blocks
 * first, in batches, then the manifest in a synced batch of its own), so a power loss before
 * the manifest lands leaves the previous checkpoint the newest complete one.
 */
import { encodeLeaf, hashOf } from '../../store/index.ts';
import type { Capability as Cap, Kernel, ObjectId, RestartPolicy } from '../../kernel/index.ts';
import { mustEncode, signatureOf, type ChangeVariant, type Signature } from './change-detect.ts';
import { CHECKPOINT_FORMAT, packr, type CheckpointGlobals, type CheckpointManifest } from './format.ts';
import { IdTree } from './id-tree.ts';
import { encodeObject } from './object-codec.ts';
import { encodeSturdy } from './sturdy-codec.ts';
import { encodeNode } from '../../store/index.ts';

/** What a writer notes on an object it wrote: whose note it is, and the object's fields then. */
interface Seen {
  by: object;
  sig: Signature;
}

export interface PreparedCheckpoint {
  manifest: CheckpointManifest;
  /** New blocks, children before the nodes that name them. */
  blocks: { hash: string; bytes: Uint8Array }[];
}

export class CheckpointWriter {
  private tree = new IdTree();
  /** Marks this writer's notes on the objects (KObject.checkpointSeen); a new token forgets them all. */
  private token: object = {};
  private serialNext = 1;
  /** The sequence number of the newest checkpoint this writer knows to be in the store. */
  lastSeq = 0;

  /** `variant`: how a deliberately broken agent judges what changed (broken-variants.ts); null for the faithful one. */
  constructor(private readonly variant: ChangeVariant | null = null) {}

  /** A writer that continues from a checkpoint as read at boot: it writes only what changes from there on. */
  static resume(tree: IdTree, serialNext: number, lastSeq: number, variant: ChangeVariant | null = null): CheckpointWriter {
    const w = new CheckpointWriter(variant);
    w.tree = tree;
    w.serialNext = serialNext;
    w.lastSeq = lastSeq;
    return w;
  }

  /** Forgets everything remembered: the next checkpoint encodes every object (after a failed write, whose blocks may be missing). */
  reset(): void {
    this.tree = new IdTree();
    this.token = {};
  }

  prepare(kernel: Kernel, opts: { crank: number; policies: Map<ObjectId, RestartPolicy> }): PreparedCheckpoint {
    const blocks: { hash: string; bytes: Uint8Array }[] = [];
    const serialOf = (cap: Cap): number => {
      if (cap.serial === 0) cap.serial = this.serialNext++;
      return cap.serial;
    };
    let encoded = 0;
    const token = this.token;
    const variant = this.variant;
    for (const o of kernel.objects.values()) {
      const seen = o.checkpointSeen as Seen | null;
      const previous = seen !== null && seen.by === token ? seen.sig : undefined;
      if (!(variant === null ? mustEncode(o, previous) : variant.mustEncode(o, previous))) continue;
      o.checkpointSeen = { by: token, sig: signatureOf(o) } satisfies Seen;
      encoded++;
      const bytes = encodeLeaf(packr.pack(encodeObject(o, serialOf)));
      if (o.kind === 'process') o.capsTouched = false;
      const hash = hashOf(bytes);
      if (this.tree.objects.get(o.id) === hash) continue;
      this.tree.set(o.id, hash);
      blocks.push({ hash, bytes });
    }
    // Objects leave the table only when the crank that made them aborts; the sizes tell whether any went.
    if (kernel.objects.size !== this.tree.size) {
      for (const id of [...this.tree.objects.keys()]) {
        if (kernel.objects.has(id)) continue;
        this.tree.delete(id);
      }
    }
    const treeRoot = this.tree.build((hash, bytes) => blocks.push({ hash, bytes }));
    const { ready, throttled } = kernel.scheduler.order();
    const globals: CheckpointGlobals = {
      format: CHECKPOINT_FORMAT,
      kernel: {
        seed: kernel.seed,
        schedule: kernel.scheduler.mode,
        limits: { ...kernel.limits },
        crankCount: kernel.crankCount,
        messageSeq: kernel.messageSeq,
        rng: kernel.rng.getState(),
        trace: kernel.trace.getState(),
        ready: ready.map((p) => p.id),
        throttled: throttled.map((p) => p.id),
      },
      sturdy: encodeSturdy(kernel, serialOf),
      serialNext: this.serialNext,
      policies: [...opts.policies.entries()].sort((a, b) => a[0] - b[0]).map(([pid, p]) => [pid, { ...p }]),
      crank: opts.crank,
    };
    const rootBytes = encodeNode([treeRoot], packr.pack(globals));
    const root = hashOf(rootBytes);
    blocks.push({ hash: root, bytes: rootBytes });
    let bytesWritten = 0;
    for (const b of blocks) bytesWritten += b.bytes.length;
    const seq = this.lastSeq + 1;
    const manifest: CheckpointManifest = {
      format: CHECKPOINT_FORMAT,
      seq,
      root,
      crank: opts.crank,
      objects: this.tree.size,
      blocksWritten: blocks.length,
      bytesWritten,
      encoded,
    };
    return { manifest, blocks };
  }
}
