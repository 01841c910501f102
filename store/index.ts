/**
 * capsim's trusted capability database: the public surface. The restart agent binds it to the
 * kernel; nothing outside this folder builds a key or encodes a record.
 */
export { openStore, type OpenOptions } from './open.ts';
export { Store, ID_BLOCK, RESERVE_MAX, GROUP_COMMIT_MAX } from './store.ts';
export { Transaction, TX_OPS_MAX } from './transaction.ts';
export { StoreError, STORE_ERROR_CODES, type StoreErrorCode } from './errors.ts';
export { verifyStore, type VerifyReport, type Problem, type ProblemKind } from './verify.ts';
export type { AccountFinding } from './ledger.ts';
export type { Account } from './account.ts';
export { WITNESS_FILE } from './witness.ts';
export { MemoryDisk } from './backend/memory-disk.ts';
export { DEFAULT_CLASSIC_PATH } from './backend/open-backend.ts';
export type { FaultControl } from './backend/fault-layer.ts';
export { SCHEMA_VERSION } from './keepers/meta.ts';
export { hashOf } from './keepers/blocks.ts';
export {
  OBJECT_KINDS,
  RESTART_MODES,
  isDamaged,
  type ObjectId,
  type ObjectKind,
  type PersistentRef,
  type RestartMode,
  type RestartPolicy,
  type Registration,
  type ObjectRecord,
  type StorageRecord,
  type SturdyRecord,
  type DirectoryEntry,
  type BlockRecord,
  type CheckpointRecord,
  type SnapshotRecord,
  type Meta,
  type PlainData,
  type DamagedRecord,
} from './records.ts';
export { encodeLeaf, encodeNode, decodeBlock, walkBlocks, NODE_CHILDREN_MAX, type BlockSource, type DecodedBlock, type WalkOptions } from './dag.ts';
export { packRecords, unpackRecords, raiseIdHighWater, RECORDS_FORMAT, ID_RAISE_MAX, type PackedRecords, type RecordCounts } from './snapshot-records.ts';
export { Chunker, groupLevels, keyHash, CUT_MODULUS, CHUNK_BYTES_MAX, ROOT_CHILDREN_MAX } from './record-chunks.ts';
export { encodeSnapshotRoot, decodeSnapshotRoot, snapshotInfo, snapshotRecord, SNAPSHOT_FORMAT, type SnapshotInfo, type SnapshotRoot } from './snapshot-format.ts';
export { findMissingBlocks, storeBlocks, type BlockWalk } from './block-copy.ts';
export { replicate, type ReplicationReport } from './replicate.ts';
