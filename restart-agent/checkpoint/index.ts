/**
 * The checkpoint persistence model (EROS/KeyKOS): whole-kernel checkpoints at crank
 * boundaries, incremental and content-addressed. Start reading: writer.ts (taking one),
 * restore.ts (reading one back), collect.ts (keeping the last K).
 */
export { CheckpointWriter, type PreparedCheckpoint } from './writer.ts';
export { writeCheckpoint, batchesOf, type WriteOutcome } from './write.ts';
export { latestCheckpoint, listCheckpoints, readCheckpoint, readNewestCheckpoint, type ReadCheckpoint } from './restore.ts';
export { collect, orphansPossible, snapshotRoots, type Collection } from './collect.ts';
export { CHECKPOINT_FORMAT, isManifest, type CheckpointManifest, type CheckpointGlobals } from './format.ts';
