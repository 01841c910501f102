/**
 * `capsim check --workers N --shard K/N`: the crash explorer's runs spread over worker threads
 * (tools/parallel/pool.ts) and over machines, with the very result one thread would give.
 *
 *   - Random mode: fast-check's runs 0..runs-1 for a seed are cut into blocks of consecutive
 *     runs whose size depends on `runs` alone; a block is a task, and a shard takes every N-th
 *     block. Run i is drawn the same way in any block (a fast-check path starting at i), so the
 *     runs, their schedules and their verdicts do not depend on the number of workers.
 *   - The first violation counts, as in one thread: blocks after the one that found it are not
 *     handed out, and those already running are left out of the result. It is shrunk here,
 *     from its index, into the `--seed S --path P` that replays it.
 *   - Exhaustive mode: one task per scenario, a shard taking every N-th; the first scenario
 *     (in order) with a violation ends the result.
 */
import fc from 'fast-check';
import type { SystemSpec } from '../../kernel/index.ts';
import { runTasks } from '../parallel/pool.ts';
import { shardOf, type Shard } from '../parallel/shard.ts';
import { scheduleArbitrary } from './arbitraries.ts';
import { addStats, emptyStats, runSchedule, type ExecuteOptions, type RunOutcome, type RunStats } from './execute.ts';
import { scenariosOf } from './exhaustive.ts';
import { freshSeed, type ExploreResult, type Failure } from './explore.ts';
import type { ReplaySetting } from './format.ts';
import type { Schedule } from './schedule.ts';
import { BLOCK_WORKER, limitsOf, runBlock, runScenarioTask, SCENARIO_WORKER, type BlockResult, type ScenarioTaskResult } from './worker.ts';

/** Blocks a random check is cut into, about: enough to keep every worker busy and the bar moving. */
const BLOCKS_TARGET = 400;
/** Runs per block at least: a block also costs fast-check's walk to its first run. */
const BLOCK_RUNS_MIN = 10;

export interface SpreadOptions {
  workers: number;
  shard: Shard | null;
  /** True stops handing out tasks (Ctrl-C); the result then covers what finished. */
  stopped?: () => boolean;
}

export interface SpreadExploreOptions extends SpreadOptions {
  runs: number;
  seed?: number;
  /** Called as blocks finish with the runs done so far, and during shrinking. */
  onRun?: (done: number, shrinking: boolean) => void;
}

/** Runs per block: a function of `runs` alone, so that every shard and worker count cuts the same blocks. */
export function blockRuns(runs: number): number {
  return Math.max(BLOCK_RUNS_MIN, Math.ceil(runs / BLOCKS_TARGET));
}

/** The blocks of `runs` runs, in order; block b holds runs [b × size, (b + 1) × size). */
export function blocksOf(runs: number): { index: number; from: number; count: number }[] {
  const size = blockRuns(runs);
  return Array.from({ length: Math.ceil(runs / size) }, (_, index) => ({ index, from: index * size, count: Math.min(size, runs - index * size) }));
}

/**
 * `explore` (explore.ts) with its runs on `workers` threads, or one shard of them. `spec` and
 * `exec` are the system and options `setting` names, loaded by the caller: they shrink and
 * print a violation here; each worker loads its own from `setting`.
 */
export async function exploreSpread(spec: SystemSpec, exec: ExecuteOptions, setting: ReplaySetting, options: SpreadExploreOptions): Promise<ExploreResult> {
  const started = performance.now();
  const seed = options.seed ?? freshSeed();
  const results: BlockResult[] = [];
  let failedAt: number | null = null;
  let done = 0;
  await runTasks(
    shardOf(blocksOf(options.runs), options.shard).map((b) => ({ setting, seed, from: b.from, count: b.count })),
    {
      workers: options.workers,
      worker: BLOCK_WORKER,
      inline: runBlock,
      // Blocks are handed out in order, so every block before a violation is already out: none is skipped.
      stopped: () => failedAt !== null || options.stopped?.() === true,
      onResult: (result) => {
        results.push(result);
        if (result.failedAt !== null) failedAt = Math.min(failedAt ?? Infinity, result.failedAt);
        done += result.ran;
        options.onRun?.(done, false);
      },
    },
  );
  const counted = results.sort((a, b) => a.from - b.from).filter((r) => failedAt === null || r.from <= failedAt);
  const stats = emptyStats();
  for (const r of counted) addStats(stats, r.stats);
  const runs = counted.reduce((sum, r) => sum + r.ran, 0);
  let failure: Failure | null = null;
  let shrinkRuns = 0;
  if (failedAt !== null) {
    const shrunk = await shrinkFrom(spec, { ...exec, ...limitsOf(setting, exec.model) }, seed, failedAt, stats, (n) => options.onRun?.(runs, n > 0));
    failure = { ...shrunk.failure, runsToFailure: runs };
    shrinkRuns = shrunk.shrinkRuns;
  }
  return { seed, runs, shrinkRuns, stats, timeMs: performance.now() - started, failure };
}

/**
 * Shrinks the failing run at `index` for `seed`, as a whole exploration would have: fast-check
 * walks to that run (which fails again: runs are deterministic) and shrinks it. The runs made
 * while shrinking go into `stats`; the run itself was counted where it was found.
 */
async function shrinkFrom(spec: SystemSpec, options: ExecuteOptions & Parameters<typeof scheduleArbitrary>[1], seed: number, index: number, stats: RunStats, onShrink: (shrinkRuns: number) => void): Promise<{ failure: Omit<Failure, 'runsToFailure'>; shrinkRuns: number }> {
  let calls = 0;
  let original: Schedule | null = null;
  const property = fc.asyncProperty(scheduleArbitrary(spec, options), async (schedule) => {
    const outcome = await runSchedule(spec, schedule, options);
    if (calls++ === 0) original = schedule;
    else {
      addStats(stats, outcome.stats);
      onShrink(calls - 1);
    }
    return outcome.violations.length === 0;
  });
  const details = await fc.check(property, { seed, path: String(index) });
  if (!details.failed || details.counterexample === null || details.counterexamplePath === null || original === null) {
    throw new Error(`run ${index} of seed ${seed} violated an invariant in a worker and not when run again here: a run is not deterministic`);
  }
  const schedule = details.counterexample[0];
  const outcome: RunOutcome = await runSchedule(spec, schedule, options);
  return { failure: { schedule, outcome, seed, path: details.counterexamplePath, shrinks: details.numShrinks, original }, shrinkRuns: calls - 1 };
}

export interface SpreadExhaustiveOptions extends SpreadOptions {
  ops: number;
  syncEvery: number;
  onRun?: (done: number) => void;
}

export interface SpreadExhaustiveResult {
  /** Scenarios in all, and this shard's. */
  scenarios: number;
  share: number;
  runs: number;
  stats: RunStats;
  timeMs: number;
  failure: { schedule: Schedule; outcome: RunOutcome } | null;
}

/** `exhaustive` (exhaustive.ts) with its scenarios on `workers` threads, or one shard of them. */
export async function exhaustiveSpread(spec: SystemSpec, exec: ExecuteOptions, setting: ReplaySetting, options: SpreadExhaustiveOptions): Promise<SpreadExhaustiveResult> {
  const started = performance.now();
  const all = scenariosOf(spec, options).map((_, index) => ({ index }));
  const mine = shardOf(all, options.shard);
  const results: ScenarioTaskResult[] = [];
  let firstFailing: number | null = null;
  let done = 0;
  await runTasks(
    mine.map((s) => ({ setting, ops: options.ops, syncEvery: options.syncEvery, scenario: s.index })),
    {
      workers: options.workers,
      worker: SCENARIO_WORKER,
      inline: runScenarioTask,
      stopped: () => firstFailing !== null || options.stopped?.() === true,
      onResult: (result) => {
        results.push(result);
        if (result.failing !== null) firstFailing = Math.min(firstFailing ?? Infinity, result.scenario);
        done += result.runs;
        options.onRun?.(done);
      },
    },
  );
  const counted = results.sort((a, b) => a.scenario - b.scenario).filter((r) => firstFailing === null || r.scenario <= firstFailing);
  const stats = emptyStats();
  for (const r of counted) addStats(stats, r.stats);
  const failing = counted.find((r) => r.failing !== null)?.failing ?? null;
  // Run again here, where the failure is printed: a schedule is all that crossed the thread.
  const failure = failing !== null ? { schedule: failing, outcome: await runSchedule(spec, failing, exec) } : null;
  return { scenarios: all.length, share: mine.length, runs: counted.reduce((sum, r) => sum + r.runs, 0), stats, timeMs: performance.now() - started, failure };
}
