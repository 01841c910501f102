/**
 * Named snapshots and the grid of spawned instances (Plan 9 ANTS style). Start at save.ts and
 * spawn.ts; access.ts says who may do what; grid.ts keeps the instances.
 */
export { saveSnapshot, type SaveOptions, type SaveResult } from './save.ts';
export { spawnSnapshot, readRoot, type SpawnOptions, type Spawned, type SpecSource } from './spawn.ts';
export { listSnapshots, readSnapshot, inviteToSnapshot, maySpawn, requireSpawnRight, type SnapshotListing } from './access.ts';
export { Grid, type GridSpawnOptions } from './grid.ts';
export { readRegistry, type InstanceEntry, type Registry } from './grid-registry.ts';
export { actingPrincipal, checkName } from './names.ts';
export { latestCheckpointLink, type CheckpointLink } from './checkpoint-link.ts';
export { SnapshotError, type SnapshotErrorCode } from './errors.ts';
