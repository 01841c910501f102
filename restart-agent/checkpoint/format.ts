/**
 * What a checkpoint is in the store. The checkpoint record (key c<seq>) holds a manifest; the
 * manifest names the root block; the root block is a node whose one child is the object tree
 * (id-tree.ts) and whose payload is everything of the kernel that is not an object: the clock,
 * the generator, the trace hash, the scheduler's order, plus the restart policies.
 */
import { Packr } from 'msgpackr';
import type { KernelState, ObjectId, RestartPolicy } from '../../kernel/index.ts';
import type { SturdyCheckpointRecord } from './sturdy-codec.ts';

export const CHECKPOINT_FORMAT = 'capsim-checkpoint/1';

export const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false, bundleStrings: false });

/** The checkpoint record's manifest: plain data, small. */
export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  seq: number;
  /** Every block of this checkpoint is reachable from here (store/dag.ts). */
  root: string;
  /** The system's crank clock when it was taken (counts across boots). */
  crank: number;
  objects: number;
  /** Blocks and bytes this checkpoint wrote; the rest it shares with earlier ones. */
  blocksWritten: number;
  bytesWritten: number;
  /** Objects encoded anew (the rest were unchanged by identity). */
  encoded: number;
}

/** The root block's payload. */
export interface CheckpointGlobals {
  format: typeof CHECKPOINT_FORMAT;
  kernel: Omit<KernelState, 'format' | 'objects' | 'caps' | 'sturdy'>;
  /** The kernel's sturdy references with their anchors (absent in checkpoints written before them). */
  sturdy?: SturdyCheckpointRecord[];
  serialNext: number;
  policies: [ObjectId, RestartPolicy][];
  crank: number;
}

export function isManifest(value: unknown): value is CheckpointManifest {
  const m = value as Partial<CheckpointManifest> | null;
  return typeof m === 'object' && m !== null && m.format === CHECKPOINT_FORMAT && typeof m.root === 'string' && Number.isSafeInteger(m.seq) && Number.isSafeInteger(m.crank);
}

/**
 * Directory entry present while a checkpoint is being written, whose blocks are unreferenced
 * until its manifest lands. A boot that finds it sweeps every block nothing needs. (Collection
 * needs none: it is one atomic batch.)
 */
export const ORPHANS_MARKER = '/checkpoint/orphans';
/** Blocks per store batch while writing a checkpoint. */
export const BLOCKS_PER_BATCH = 8192;
