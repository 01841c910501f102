/**
 * A named snapshot as the store keeps it: the record under n<name> and the root block it names.
 *
 * The root block is a node whose children are [records root] or [records root, checkpoint root]
 * and whose payload is msgpack { format, system, checkpoint }: every block the snapshot needs is
 * reachable from it (the collector and replication rely on that), and it describes itself, so a
 * store that received the blocks by replication can spawn from the root alone. Who owns the
 * snapshot and when it was made live in the record, not in the root, so that two saves of the
 * same state share every block.
 */
import { Packr } from 'msgpackr';
import { decodeBlock, encodeNode } from './dag.ts';
import { StoreError } from './errors.ts';
import type { PlainData } from './records.ts';

export const SNAPSHOT_FORMAT = 'capsim-snapshot/1';
const HASH = /^[0-9a-f]{64}$/;
const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false, bundleStrings: false });

/** The record under n<name>. `root` is the contract with the collector and replication. */
export interface SnapshotInfo {
  root: string;
  format: string;
  owner: string;
  /** Milliseconds since the epoch, from the saver's clock. */
  created: number;
  /** Principals besides the owner who may spawn it. */
  invited: string[];
  /** The system the saved store names (its /system/ directory entry), or null. */
  system: string | null;
  /** Blocks reachable from root, and their bytes. */
  blocks: number;
  bytes: number;
  /** Of those, the blocks this save wrote; the rest were in the store already (shared). */
  blocksWritten: number;
  records: number;
  /** The sequence number of the checkpoint saved with it, or null (explicit model only). */
  checkpointSeq: number | null;
}

/** What the root block says. */
export interface SnapshotRoot {
  recordsRoot: string;
  checkpoint: { seq: number; manifest: PlainData; root: string } | null;
  system: string | null;
}

export function encodeSnapshotRoot(root: SnapshotRoot): Uint8Array {
  const children = root.checkpoint === null ? [root.recordsRoot] : [root.recordsRoot, root.checkpoint.root];
  const checkpoint = root.checkpoint === null ? null : { seq: root.checkpoint.seq, manifest: root.checkpoint.manifest };
  return encodeNode(children, Uint8Array.from(packr.pack({ format: SNAPSHOT_FORMAT, system: root.system, checkpoint })));
}

export function decodeSnapshotRoot(bytes: Uint8Array, hash: string): SnapshotRoot {
  const { children, payload } = decodeBlock(bytes, `block ${hash}`);
  let value: unknown;
  try {
    value = packr.unpack(payload);
  } catch (error) {
    throw new StoreError('damaged', `block ${hash} is no snapshot root: ${(error as Error).message}`);
  }
  const p = value as { format?: unknown; system?: unknown; checkpoint?: { seq?: unknown; manifest?: unknown } | null } | null;
  const bad = (why: string): never => {
    throw new StoreError('damaged', `block ${hash} is no ${SNAPSHOT_FORMAT} root: ${why}`);
  };
  if (p === null || typeof p !== 'object' || p.format !== SNAPSHOT_FORMAT) return bad('wrong format');
  if (p.system !== null && typeof p.system !== 'string') return bad('system is not a name');
  const [recordsRoot, checkpointRoot] = children;
  if (recordsRoot === undefined) return bad('it names no records');
  if ((p.checkpoint === null) !== (checkpointRoot === undefined) || children.length > 2) return bad('its checkpoint and children disagree');
  if (p.checkpoint === null || p.checkpoint === undefined) return { recordsRoot, checkpoint: null, system: p.system as string | null };
  if (!Number.isSafeInteger(p.checkpoint.seq)) return bad('checkpoint seq is not an integer');
  return { recordsRoot, checkpoint: { seq: p.checkpoint.seq as number, manifest: p.checkpoint.manifest as PlainData, root: checkpointRoot as string }, system: p.system as string | null };
}

/** Checks a stored snapshot record; throws StoreError('damaged') naming it. */
export function snapshotInfo(name: string, record: PlainData): SnapshotInfo {
  const r = record as Record<string, unknown> | null;
  const bad = (why: string): never => {
    throw new StoreError('damaged', `snapshot '${name}' has a malformed record: ${why}`, { record: `snapshot ${JSON.stringify(name)}` });
  };
  if (r === null || typeof r !== 'object' || Array.isArray(r) || r instanceof Uint8Array) return bad('not an object');
  if (typeof r.root !== 'string' || !HASH.test(r.root)) return bad('root is not a sha256 hash');
  if (typeof r.owner !== 'string' || r.owner === '') return bad('no owner');
  if (!Array.isArray(r.invited) || !r.invited.every((p) => typeof p === 'string')) return bad('invited is not a list of principals');
  for (const field of ['created', 'blocks', 'bytes', 'blocksWritten', 'records'] as const) {
    if (!Number.isSafeInteger(r[field])) bad(`${field} is not an integer`);
  }
  return {
    root: r.root,
    format: typeof r.format === 'string' ? r.format : SNAPSHOT_FORMAT,
    owner: r.owner,
    created: r.created as number,
    invited: r.invited as string[],
    system: typeof r.system === 'string' ? r.system : null,
    blocks: r.blocks as number,
    bytes: r.bytes as number,
    blocksWritten: r.blocksWritten as number,
    records: r.records as number,
    checkpointSeq: Number.isSafeInteger(r.checkpointSeq) ? (r.checkpointSeq as number) : null,
  };
}

/** The record to store: SnapshotInfo is plain data already; this only says so to the type checker. */
export function snapshotRecord(info: SnapshotInfo): PlainData {
  return { ...info, invited: [...info.invited] };
}
