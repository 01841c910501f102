/**
 * capsim's kernel: the public surface. Programs use the program API (Program, Ctx, Delivery,
 * rights); hosts (the restart agent, tests, tools) use Kernel.
 */
export { Kernel, type KernelOptions, type CrankResult, type Changes, type HostAnswer, type HostAction } from './kernel.ts';
export type { Program, ProgramTable, Ctx, Delivery, CapInfo } from './program.ts';
export { STORE_SLOT } from './program.ts';
export { READ, WRITE, GRANT, WEAK, ALL_RIGHTS, formatRights, parseRights, isDiminished, type Rights } from './caps/rights.ts';
export { KernelError, KernelUsageError, KERNEL_ERROR_CODES, type KernelErrorCode } from './errors.ts';
export { CounterAllocator, type IdAllocator, type ObjectId } from './ids.ts';
export { DEFAULT_LIMITS, type Limits } from './limits.ts';
export { freezePlain, plainEqual, type PlainData } from './plain-data.ts';
export { Trace, formatEvent, type TraceEvent, type TraceMode } from './trace.ts';
export type { ScheduleMode } from './ipc/scheduler.ts';
export type { ObjectKind, KObject } from './objects/kobject.ts';
export type { Process, ProcessStatus } from './objects/process.ts';
export type { Cap } from './caps/capability.ts';
export { exportState, importState, stateHash, KERNEL_STATE_FORMAT, type KernelState, type ObjectState, type CapState, type MessageState } from './state.ts';
export { instantiate, checkSpec, DEFAULT_POLICY, type SystemSpec, type ProcessSpec, type ObjectSpec, type StorageSpec, type CapSpec, type InputSpec, type ClientSpec, type ClientOp, type ClientModel, type Wiring, type RestartPolicy, type RestartMode } from './spec.ts';
export { Cap as Capability } from './caps/capability.ts';
export { Rng } from './rng.ts';
export { ConfinedModule, type ProgramAddress } from './confine/confined-module.ts';
export { describeThrown, ProgramFault } from './describe-thrown.ts';
