/**
 * The restart agent: binds a kernel to the trusted database. Start reading at system.ts
 * (create, run, commit, power loss, restart); the commit path is commit-path.ts, the boot
 * phases are boot.ts, restart policies policy.ts, invariant checks invariants.ts.
 */
export { System, SystemError, PERSISTENCE_MODELS, describeLocation, heldSystemName, type SystemOptions, type PersistenceModel } from './system.ts';
export { boot, type BootOptions, type BootResult } from './boot.ts';
export { writeChanges, newBook, type CommitBook, type RecordWriter } from './commit-path.ts';
export { startOrder } from './dependency-order.ts';
export { DurableAllocator } from './durable-ids.ts';
export { Observer, canonical } from './observer.ts';
export { Supervisor, type SupervisorEvent } from './policy.ts';
export { formatReport, violations, type BootReport, type RestartReport, type InvariantVerdicts, type Quarantined, type LostReference } from './report.ts';
export { checkFidelity, checkNoAmplification, checkRevocation, checkUniqueIds, systemFingerprint } from './invariants.ts';
export { openLocation, type StoreLocation } from './store-location.ts';
