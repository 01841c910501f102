/**
 * fast-check arbitraries for schedules. Every choice — seed, scheduling, sync interval, inputs,
 * crank counts, fault kinds and their parameters — is a field the generator draws and the
 * shrinker can make smaller: fewer steps, fewer cranks, fewer kept batches, an earlier write,
 * the first record, the first byte. A shrunk schedule is the smallest that still fails.
 */
import fc from 'fast-check';
import type { SystemSpec } from '../../kernel/index.ts';
import { resolveModel, type ModelChoice } from '../../restart-agent/index.ts';
import { FAULT_KINDS, faultKindsFor, type Fault, type FaultKind, type Schedule, type Step } from './schedule.ts';
import { vocabularyOf } from './workload.ts';

export interface ScheduleLimits {
  /** Fault kinds to draw from (default all that apply to the model). */
  faults?: readonly FaultKind[];
  /** Steps (each some cranks, then a fault and a restart) per schedule; default 3. */
  maxSteps?: number;
  /** Cranks per step; default 40. */
  maxCranks?: number;
  /** Generated inputs per workload; default 12. */
  maxInputs?: number;
  /** Operations per client per workload (systems with clients); default 8. */
  maxClientOps?: number;
  /** Largest sync interval drawn; default 4. */
  maxSyncEvery?: number;
  /** The persistence model: under one that takes checkpoints a checkpoint interval is drawn too. Default explicit. */
  model?: ModelChoice;
}

export const SCHEDULE_DEFAULTS = { maxSteps: 3, maxCranks: 40, maxInputs: 12, maxSyncEvery: 4, maxClientOps: 8 } as const;

/** Kept batches: more than the sync interval leaves unsynced keeps them all, so a small bound covers every prefix. */
const keepBatches = (maxSyncEvery: number): fc.Arbitrary<number> => fc.nat({ max: maxSyncEvery });

/** One fault of the given kinds. */
export function faultArbitrary(kinds: readonly FaultKind[] = FAULT_KINDS, maxSyncEvery: number = SCHEDULE_DEFAULTS.maxSyncEvery): fc.Arbitrary<Fault> {
  const keep = keepBatches(maxSyncEvery);
  const byKind: Record<FaultKind, fc.Arbitrary<Fault>> = {
    power: fc.record({ kind: fc.constant('power' as const), keepBatches: keep }),
    write: fc.record({ kind: fc.constant('write' as const), nth: fc.integer({ min: 1, max: 20 }), keepBatches: keep }),
    restart: fc.record({ kind: fc.constant('restart' as const), stage: fc.constantFrom('boot' as const, 'commit' as const, 'after' as const), keepBatches: keep }),
    damage: fc.record({ kind: fc.constant('damage' as const), record: fc.nat({ max: 1000 }), byte: fc.nat({ max: 1000 }), mask: fc.integer({ min: 1, max: 255 }), keepBatches: keep }),
    checkpoint: fc.record({ kind: fc.constant('checkpoint' as const), afterBatches: fc.nat({ max: 6 }), keepBatches: keep }),
  };
  if (kinds.length === 0) throw new Error('faultArbitrary needs at least one fault kind');
  // 'power' first, and cross-shrinking on: a failure that does not need a special fault shrinks
  // to a plain power loss (a write failure that never came, a damage that did not matter).
  const ordered = [...kinds].sort((a, b) => FAULT_KINDS.indexOf(a) - FAULT_KINDS.indexOf(b));
  return fc.oneof({ withCrossShrink: true }, ...ordered.map((k) => byKind[k]));
}

export function stepArbitrary(limits: ScheduleLimits = {}): fc.Arbitrary<Step> {
  const maxCranks = limits.maxCranks ?? SCHEDULE_DEFAULTS.maxCranks;
  return fc.record({ cranks: fc.nat({ max: maxCranks }), fault: faultArbitrary(limits.faults, limits.maxSyncEvery) });
}

/** Workload inputs: indices into the description's vocabulary, or null for its own script. */
export function inputsArbitrary(spec: SystemSpec, maxInputs: number = SCHEDULE_DEFAULTS.maxInputs): fc.Arbitrary<number[] | null> {
  const size = vocabularyOf(spec).inputs.length;
  if (size === 0) return fc.constant(null);
  return fc.option(fc.array(fc.nat({ max: size - 1 }), { maxLength: maxInputs }), { freq: 4 });
}

/**
 * Client operations: per client of the description, indices into its vocabulary. Never null
 * (the description's own operations): fast-check shrinks an option towards null, which here is
 * not the smaller schedule but all of the description's operations — a bank failure shrank to
 * the customer's ten deposits before the firing instead of to none.
 */
export function clientsArbitrary(spec: SystemSpec, maxOps: number = SCHEDULE_DEFAULTS.maxClientOps): fc.Arbitrary<number[][] | null> {
  const clients = vocabularyOf(spec).clients;
  if (clients.length === 0) return fc.constant(null);
  const each = clients.map((c) => (c.ops.length === 0 ? fc.constant([] as number[]) : fc.array(fc.nat({ max: c.ops.length - 1 }), { maxLength: maxOps })));
  return fc.tuple(...each);
}

/** A whole schedule for `spec`. */
export function scheduleArbitrary(spec: SystemSpec, limits: ScheduleLimits = {}): fc.Arbitrary<Schedule> {
  const maxSteps = limits.maxSteps ?? SCHEDULE_DEFAULTS.maxSteps;
  const model = resolveModel(limits.model ?? 'explicit');
  const faults = limits.faults ?? faultKindsFor(model);
  const base = scheduleRecord(spec, { ...limits, faults }, maxSteps);
  if (!model.checkpoints) return base;
  return fc.tuple(base, fc.nat({ max: 8 })).map(([s, checkpointEvery]) => ({ ...s, checkpointEvery }));
}

function scheduleRecord(spec: SystemSpec, limits: ScheduleLimits, maxSteps: number): fc.Arbitrary<Schedule> {
  const base = baseRecord(spec, limits, maxSteps);
  // Only a system with clients gets the field, so that every other system's schedules stay as they were.
  if ((spec.clients ?? []).length === 0) return base;
  return fc.tuple(base, clientsArbitrary(spec, limits.maxClientOps)).map(([s, clients]) => ({ ...s, clients }));
}

function baseRecord(spec: SystemSpec, limits: ScheduleLimits, maxSteps: number): fc.Arbitrary<Schedule> {
  return fc.record({
    seed: fc.nat({ max: 1_000_000 }),
    schedule: fc.constantFrom('fifo' as const, 'seeded' as const),
    syncEvery: fc.integer({ min: 1, max: limits.maxSyncEvery ?? SCHEDULE_DEFAULTS.maxSyncEvery }),
    inputs: inputsArbitrary(spec, limits.maxInputs),
    steps: fc.array(stepArbitrary(limits), { minLength: 1, maxLength: maxSteps }),
    // One run in eight runs twice: I9 needs it, and doubling every run would halve the search.
    repeat: fc.nat({ max: 7 }).map((n) => n === 7),
  });
}
