/**
 * The random explorer: fast-check draws schedules for a system, each is run and judged, and the
 * first that violates an invariant is shrunk to the smallest schedule that still does. The seed
 * and fast-check's path to the shrunk case are returned, so `--seed S --path P` replays it: the
 * same arbitrary, the same seed and path give the same schedule.
 */
import fc from 'fast-check';
import type { SystemSpec } from '../../kernel/index.ts';
import { scheduleArbitrary, type ScheduleLimits } from './arbitraries.ts';
import { addStats, emptyStats, runSchedule, type ExecuteOptions, type RunOutcome, type RunStats } from './execute.ts';
import type { Schedule } from './schedule.ts';
import { vocabularyOf } from './workload.ts';

/** Runs between two turns of the event loop (each costs a few microseconds). */
const RUNS_BETWEEN_TURNS = 20;

export interface ExploreOptions extends ExecuteOptions, ScheduleLimits {
  runs: number;
  /** fast-check's seed (default: a fresh one, always reported). */
  seed?: number;
  /** fast-check's path to a counterexample: replays it (with the same seed). */
  path?: string;
  /** Called after every run, shrinking runs included. */
  onRun?: (generated: number, shrinking: boolean) => void;
  /** Filled as the runs go (default: a fresh one): a caller that reports a partial result, on Ctrl-C, reads it. */
  stats?: RunStats;
}

export interface Failure {
  schedule: Schedule;
  outcome: RunOutcome;
  seed: number;
  path: string;
  /** Generated runs until the first failure, and shrink steps that made it smaller. */
  runsToFailure: number;
  shrinks: number;
  /** The schedule as first found failing, before shrinking. */
  original: Schedule;
}

export interface ExploreResult {
  seed: number;
  /** Generated runs (shrinking runs not counted). */
  runs: number;
  /** Runs made while shrinking. */
  shrinkRuns: number;
  stats: RunStats;
  timeMs: number;
  failure: Failure | null;
}

/** A seed for fast-check when none is given: fresh per call, reported with every result. */
export function freshSeed(): number {
  return (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
}

export async function explore(spec: SystemSpec, options: ExploreOptions): Promise<ExploreResult> {
  const started = performance.now();
  const seed = options.seed ?? freshSeed();
  const exec: ExecuteOptions = { ...options, vocabulary: vocabularyOf(spec) };
  const stats = options.stats ?? emptyStats();
  let generated = 0;
  let shrinkRuns = 0;
  let failing = false;
  let original: Schedule | null = null;
  const property = fc.asyncProperty(scheduleArbitrary(spec, options), async (schedule) => {
    const outcome = await runSchedule(spec, schedule, exec);
    addStats(stats, outcome.stats);
    if (failing) shrinkRuns++;
    else generated++;
    options.onRun?.(generated, failing);
    // A memory store answers through promises alone: a turn of the event loop now and then lets Ctrl-C in.
    if ((generated + shrinkRuns) % RUNS_BETWEEN_TURNS === 0) await new Promise((resolve) => setImmediate(resolve));
    if (outcome.violations.length === 0) return true;
    if (!failing) original = schedule;
    failing = true;
    return false;
  });
  const params: fc.Parameters<[Schedule]> = { seed, numRuns: options.runs, ...(options.path !== undefined ? { path: options.path } : {}) };
  const details = await fc.check(property, params);
  let failure: Failure | null = null;
  if (details.failed && details.counterexample !== null && details.counterexamplePath !== null) {
    const schedule = details.counterexample[0];
    // Deterministic: running the shrunk schedule again gives its violations to print.
    const outcome = await runSchedule(spec, schedule, exec);
    failure = { schedule, outcome, seed: details.seed, path: details.counterexamplePath, runsToFailure: details.numRuns, shrinks: details.numShrinks, original: original ?? schedule };
  } else if (details.failed) {
    throw new Error(`fast-check stopped without a counterexample: ${String(details.errorInstance)}`);
  }
  return { seed, runs: generated, shrinkRuns, stats, timeMs: performance.now() - started, failure };
}
