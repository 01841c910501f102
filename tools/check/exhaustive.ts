/**
 * Exhaustive mode for small systems: for each scenario (a sequence of up to `ops` inputs from
 * the system's vocabulary), every crash point — every crank boundary until the system is idle,
 * and at each, every prefix of the unsynced commits a power loss may keep.
 */
import type { SystemSpec } from '../../kernel/index.ts';
import { System } from '../../restart-agent/index.ts';
import { memoryDisk } from './disk.ts';
import { addStats, emptyStats, runSchedule, type ExecuteOptions, type RunOutcome, type RunStats } from './execute.ts';
import type { Schedule } from './schedule.ts';
import { vocabularyOf, withWorkload, type Vocabulary } from './workload.ts';

export interface ExhaustiveOptions extends ExecuteOptions {
  /** Inputs per scenario: every sequence of 0..ops inputs (default 3). */
  ops?: number;
  /** Vocabulary entries scenarios draw from (the first N; default 3). */
  alphabet?: number;
  /** Cranks a scenario may run before it counts as idle (default 60). */
  maxCranks?: number;
  syncEvery?: number;
  seed?: number;
  /** Called after each crash point. */
  onRun?: (done: number) => void;
}

export interface ExhaustiveResult {
  scenarios: number;
  /** Crash points run: one restart each. */
  runs: number;
  stats: RunStats;
  timeMs: number;
  failure: { schedule: Schedule; outcome: RunOutcome } | null;
}

/** Every sequence of 0..ops indices below `alphabet`, shortest first. */
export function scenarios(alphabet: number, ops: number): number[][] {
  const out: number[][] = [[]];
  let layer: number[][] = [[]];
  for (let n = 1; n <= ops && alphabet > 0; n++) {
    layer = layer.flatMap((s) => Array.from({ length: alphabet }, (_, i) => [...s, i]));
    out.push(...layer);
  }
  return out;
}

/** Unsynced batches after each crank of a scenario's run to idle: index k is after k cranks. */
async function unsyncedAfterEachCrank(spec: SystemSpec, base: Omit<Schedule, 'steps'>, maxCranks: number, options: ExecuteOptions): Promise<number[]> {
  const disk = memoryDisk();
  const system = await System.create({
    spec: withWorkload(spec, vocabularyOf(spec), base.inputs),
    store: disk.location,
    seed: base.seed,
    schedule: base.schedule,
    syncEvery: base.syncEvery,
    trace: 'off',
    verify: false,
    ...(options.model !== undefined ? { model: options.model } : {}),
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
  });
  const faults = system.store.faults;
  const unsynced = [faults?.unsyncedBatches ?? 0];
  for (let k = 0; k < maxCranks && (await system.step()) !== null; k++) unsynced.push(faults?.unsyncedBatches ?? 0);
  await system.close();
  return unsynced;
}

export interface ScenarioResult {
  /** Crash points run. */
  runs: number;
  stats: RunStats;
  /** The first crash point of the scenario that violates an invariant (the scenario stops there). */
  failure: { schedule: Schedule; outcome: RunOutcome } | null;
}

/** The scenarios `exhaustive` walks, in its order: what a shard or a worker picks from by index. */
export function scenariosOf(spec: SystemSpec, options: Pick<ExhaustiveOptions, 'alphabet' | 'ops'>): number[][] {
  return scenarios(Math.min(options.alphabet ?? 3, vocabularyOf(spec).inputs.length), options.ops ?? 3);
}

/** Every crash point of one scenario, in order, up to the first that violates an invariant. */
export async function runScenario(spec: SystemSpec, inputs: readonly number[], options: ExhaustiveOptions, vocabulary: Vocabulary = vocabularyOf(spec)): Promise<ScenarioResult> {
  const base = { seed: options.seed ?? 1, schedule: 'fifo' as const, syncEvery: options.syncEvery ?? 3, inputs: [...inputs], repeat: false };
  const unsynced = await unsyncedAfterEachCrank(spec, base, options.maxCranks ?? 60, options);
  const stats = emptyStats();
  let runs = 0;
  for (const [k, pending] of unsynced.entries()) {
    for (let keep = 0; keep <= pending; keep++) {
      const schedule: Schedule = { ...base, steps: [{ cranks: k, fault: { kind: 'power', keepBatches: keep } }] };
      const outcome = await runSchedule(spec, schedule, { ...options, vocabulary });
      addStats(stats, outcome.stats);
      runs++;
      options.onRun?.(runs);
      if (outcome.violations.length > 0) return { runs, stats, failure: { schedule, outcome } };
    }
  }
  return { runs, stats, failure: null };
}

export async function exhaustive(spec: SystemSpec, options: ExhaustiveOptions = {}): Promise<ExhaustiveResult> {
  const started = performance.now();
  const vocabulary = vocabularyOf(spec);
  const list = scenariosOf(spec, options);
  const stats = emptyStats();
  let runs = 0;
  for (const inputs of list) {
    const done = runs;
    const scenario = await runScenario(spec, inputs, { ...options, onRun: (n) => options.onRun?.(done + n) }, vocabulary);
    addStats(stats, scenario.stats);
    runs += scenario.runs;
    if (scenario.failure !== null) return { scenarios: list.length, runs, stats, timeMs: performance.now() - started, failure: scenario.failure };
  }
  return { scenarios: list.length, runs, stats, timeMs: performance.now() - started, failure: null };
}
