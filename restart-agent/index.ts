/**
 * The restart agent: binds a kernel to the trusted database. Start reading at system.ts
 * (create, run, commit, power loss, restart); the commit path is commit-path.ts, the boot
 * phases are boot.ts, restart policies policy.ts, invariant checks invariants.ts, checkpoints
 * checkpoint/ (writer.ts takes one, restore.ts reads one back, collect.ts keeps the last K).
 */
export {
  System,
  SystemError,
  PERSISTENCE_MODELS,
  BUILT_IN_MODELS,
  DEFAULT_CHECKPOINT_EVERY,
  DEFAULT_CHECKPOINT_KEEP,
  describeLocation,
  heldSystemName,
  storedModel,
  type SystemOptions,
  type PersistenceModel,
  type BuiltInModelName,
  type ModelChoice,
  type SystemErrorCode,
  type CheckpointOutcome,
  type PersistenceEvent,
} from './system.ts';
export { resolveModel, checkModel, isBuiltInModel, MODEL_NAME } from './models/registry.ts';
export { MODEL_SOURCE, type SourcedModel } from './models/guard.ts';
export { MODEL_KIT, type ModelKit } from './models/kit.ts';
export { explicitModel, commitExplicit, judgeRecords } from './models/explicit.ts';
export { checkpointModel, bootCheckpoint, judgeCheckpointBoot, CheckpointingDriver } from './models/checkpoint.ts';
export { bothModel } from './models/both.ts';
export { transcriptModel, LIVE_DIGESTS_MAX } from './models/transcript/transcript.ts';
export type { CommitRequest, ModelDriver, ModelHost, Delivery, HostInput, TakenCheckpoint, BootRequest, ModelBoot, RestartEvidence, RestartJudgement } from './models/interface.ts';
export { CheckpointWriter, writeCheckpoint, latestCheckpoint, listCheckpoints, readCheckpoint, readNewestCheckpoint, collect, snapshotRoots, CHECKPOINT_FORMAT, type CheckpointManifest, type Collection } from './checkpoint/index.ts';
export { auditStore, requireWhole, requireMarks, type StoreAudit, type AuditProblem, type AuditProblemKind } from './audit.ts';
export { repairStore, type RepairReport, type RepairAction } from './repair.ts';
export { readMarks, markProblems, type Marks } from './directory-marks.ts';
export { boot, type BootOptions, type BootResult } from './boot.ts';
export { writeChanges, newBook, type CommitBook, type CommitVariant, type RecordWriter } from './commit-path.ts';
export { BROKEN_VARIANTS, agentVariant, isBrokenVariant, type AgentVariant, type BrokenVariant } from './broken-variants.ts';
export { startOrder } from './dependency-order.ts';
export { DurableAllocator, type IdVariant } from './durable-ids.ts';
export { Observer, canonical } from './observer.ts';
export { canonicalText, type BytesMode } from './canonical-text.ts';
export { Supervisor, type SupervisorEvent } from './policy.ts';
export { formatReport, violations, type BootReport, type RestartReport, type InvariantVerdicts, type Quarantined, type LostReference } from './report.ts';
export { checkFidelity, checkNoAmplification, checkRevocation, checkUniqueIds, systemFingerprint } from './invariants.ts';
export { openLocation, type StoreLocation } from './store-location.ts';
export { ClientDriver, CLIENT_OPS_MAX } from './clients.ts';
export { OutputGate, OUTPUT_RELEASES, judgeOutputCommit, type OutputRelease } from './output-commit.ts';
export { operationsOf, formatEntry, formatHistory, outputLatency, historyCounts, type History, type HistoryEntry, type HistoryOp, type HistoryValue, type RestoredView, type OutputLatency } from './history.ts';
export {
  saveSnapshot,
  spawnSnapshot,
  listSnapshots,
  inviteToSnapshot,
  Grid,
  SnapshotError,
  actingPrincipal,
  type SaveOptions,
  type SpawnOptions,
  type Spawned,
  type SnapshotListing,
} from './snapshot/index.ts';
