/**
 * The records of the trusted capability database: plain data only. The store does not know the
 * kernel; rights are a bitmask number and kinds are strings, so the kernel's meaning of them
 * stays in the kernel and the restart agent translates.
 */

/** A safe non-negative integer, unique and never reused, also across power losses. */
export type ObjectId = number;

export type ObjectKind = 'process' | 'endpoint' | 'reply' | 'storage' | 'store' | 'gatekeeper';
export const OBJECT_KINDS: readonly ObjectKind[] = ['process', 'endpoint', 'reply', 'storage', 'store', 'gatekeeper'];

/**
 * A capability as the store keeps it. `capId` is the stable identity of that capability in the
 * derivation tree, allocated from the same never-reused counter as ObjectIds; `parent` is the
 * capId of its nearest persisted ancestor — the derivation record, kept with the reference so
 * that a revocation stays revoked after a restart and one read restores both.
 */
export interface PersistentRef {
  target: ObjectId;
  kind: ObjectKind;
  rights: number;
  badge: number;
  capId: ObjectId;
  parent: ObjectId | null;
}

export type RestartMode = 'permanent' | 'transient' | 'temporary';
export const RESTART_MODES: readonly RestartMode[] = ['permanent', 'transient', 'temporary'];

export interface RestartPolicy {
  mode: RestartMode;
  intensity: number;
  periodCranks: number;
}

/** A persistent process, as the Coyotos design records it: ID, command line, named caps, policy. */
export interface Registration {
  id: ObjectId;
  program: string;
  args: PlainData[];
  caps: Record<string, PersistentRef>;
  policy: RestartPolicy;
  generation: number;
}

/** Endpoints and other kernel objects a reference may target; owner = the process that receives on it. */
export interface ObjectRecord {
  id: ObjectId;
  kind: ObjectKind;
  owner: ObjectId | null;
}

/**
 * A sturdy reference: what a token stands for, and the sha256 of its secret (never the secret).
 * `parent` is the capId of the nearest persisted ancestor of the capability it was made from,
 * so that a revoke of that ancestor after a restart still revokes it.
 */
export interface SturdyRecord {
  id: ObjectId;
  /** sha256 of the secret, 64 lowercase hex digits. */
  hash: string;
  target: ObjectId;
  kind: ObjectKind;
  rights: number;
  badge: number;
  maker: ObjectId;
  createdCrank: number;
  revoked: boolean;
  parent: ObjectId | null;
}

/** A storage object in the object store, with a version the writer bumps. */
export interface StorageRecord {
  id: ObjectId;
  version: number;
  data: PlainData;
}

/** The directory, kept apart from the objects so that renaming never rewrites an object. */
export interface DirectoryEntry {
  path: string;
  id: ObjectId;
}

/** A content-addressed block: hash = lowercase hex sha256 of bytes. */
export interface BlockRecord {
  hash: string;
  bytes: Uint8Array;
}

export interface CheckpointRecord {
  seq: number;
  manifest: PlainData;
}

/** One transcript entry (the transcript persistence model): a delivery, by the kernel's crank number. */
export interface TranscriptRecord {
  crank: number;
  entry: PlainData;
}

/** A record repair set aside: its original key, why, and its stored bytes as they were. */
export interface QuarantineRecord {
  key: string;
  reason: string;
  bytes: Uint8Array;
}

export interface SnapshotRecord {
  name: string;
  record: PlainData;
}

/** `idHighWater`: every ID below it may have been handed out; none at or above it ever was. */
export interface Meta {
  schemaVersion: number;
  idHighWater: ObjectId;
  bootCount: number;
}

/**
 * What msgpack carries: as the kernel's plain data, plus byte arrays. Numbers are finite;
 * -0 is stored as 0 (msgpack has no negative integer zero).
 */
export type PlainData = null | boolean | number | string | Uint8Array | PlainData[] | { [k: string]: PlainData };

/** What a scan yields in place of a record it cannot trust, so that boot can quarantine and go on. */
export interface DamagedRecord {
  damaged: true;
  /** e.g. "registration 42" */
  record: string;
  reason: string;
}

export function isDamaged(value: unknown): value is DamagedRecord {
  return typeof value === 'object' && value !== null && (value as { damaged?: unknown }).damaged === true;
}
