/**
 * What a pool thread (or this thread, for one worker) does for `capsim check --workers` and
 * `--shard`: loads the system as the command line named it (once per thread), then runs one
 * task — a block of fast-check's runs, or every crash point of one exhaustive scenario — and
 * sends back plain data: how many runs, their stats, and where the first violation was. The
 * violation itself is run again, and shrunk, by the caller (parallel.ts): runs are
 * deterministic, so a schedule and its index are all that need to cross threads.
 */
import fc from 'fast-check';
import type { SystemSpec } from '../../kernel/index.ts';
import type { ModelChoice } from '../../restart-agent/index.ts';
import { loadHistoryChecks, loadSystem } from '../cli/load-system.ts';
import { loadModel } from '../loader/index.ts';
import type { PoolWorker } from '../parallel/pool.ts';
import { answering } from '../parallel/worker-answer.ts';
import { scheduleArbitrary, type ScheduleLimits } from './arbitraries.ts';
import { addStats, emptyStats, runSchedule, type ExecuteOptions, type RunStats } from './execute.ts';
import { runScenario, scenariosOf } from './exhaustive.ts';
import type { ReplaySetting } from './format.ts';
import type { Schedule } from './schedule.ts';
import { vocabularyOf } from './workload.ts';

/** Runs between two turns of the event loop when a block runs in this thread (so Ctrl-C gets in). */
const RUNS_BETWEEN_TURNS = 20;

/** Runs `count` of fast-check's runs for `seed`, from run `from` on: each is the very schedule a whole exploration would draw at that index. */
export interface BlockTask {
  setting: ReplaySetting;
  seed: number;
  from: number;
  count: number;
}

export interface BlockResult {
  from: number;
  /** Runs made: `count`, or fewer when one violated an invariant (the block stops there). */
  ran: number;
  /** The index of the run that violated an invariant, or null. */
  failedAt: number | null;
  stats: RunStats;
}

/** Every crash point of the exhaustive scenario at `scenario` (its index in `scenariosOf`). */
export interface ScenarioTask {
  setting: ReplaySetting;
  ops: number;
  syncEvery: number;
  scenario: number;
}

export interface ScenarioTaskResult {
  scenario: number;
  runs: number;
  stats: RunStats;
  /** The first crash point that violates an invariant, as a schedule to run again. */
  failing: Schedule | null;
}

export interface CheckedSystem {
  spec: SystemSpec;
  exec: ExecuteOptions;
}

const loaded = new Map<string, Promise<CheckedSystem>>();

/** The system, its persistence model and the options every run of this check executes with, loaded once per thread. */
export function checkedSystem(setting: ReplaySetting): Promise<CheckedSystem> {
  const key = `${setting.system}\u0000${setting.model}`;
  let system = loaded.get(key);
  if (system === undefined) {
    system = (async () => ({ spec: await loadSystem(setting.system), exec: { historyChecks: await loadHistoryChecks(setting.system), model: await loadModel(setting.model) } }))();
    loaded.set(key, system);
    system.catch(() => loaded.delete(key));
  }
  return system.then(({ spec, exec }) => ({ spec, exec: { ...exec, ...executeOptionsOf(setting), vocabulary: vocabularyOf(spec) } }));
}

/** The options a setting gives every run besides the model: when answers leave, a broken variant if one was named. */
export function executeOptionsOf(setting: ReplaySetting): ExecuteOptions {
  return {
    ...(setting.release !== undefined ? { release: setting.release as ExecuteOptions['release'] } : {}),
    ...(setting.variant !== null ? { variant: setting.variant } : {}),
  };
}

/** What decides the schedules fast-check draws: the same for a whole exploration and for any block of it. `model` is the one `setting` names, loaded. */
export function limitsOf(setting: ReplaySetting, model: ModelChoice | undefined): ScheduleLimits {
  return { ...(model !== undefined ? { model } : {}), faults: setting.faults, maxSteps: setting.maxSteps, maxCranks: setting.maxCranks };
}

export async function runBlock(task: BlockTask): Promise<BlockResult> {
  const { spec, exec } = await checkedSystem(task.setting);
  const stats = emptyStats();
  let ran = 0;
  let failedAt: number | null = null;
  const property = fc.asyncProperty(scheduleArbitrary(spec, limitsOf(task.setting, exec.model)), async (schedule) => {
    const outcome = await runSchedule(spec, schedule, exec);
    addStats(stats, outcome.stats);
    ran++;
    if (ran % RUNS_BETWEEN_TURNS === 0) await new Promise((resolve) => setImmediate(resolve));
    if (outcome.violations.length === 0) return true;
    failedAt = task.from + ran - 1;
    return false;
  });
  // A path of one number starts the runs at that index: fast-check draws run i the same way whatever run came before.
  await fc.check(property, { seed: task.seed, path: String(task.from), numRuns: task.count, endOnFailure: true });
  return { from: task.from, ran, failedAt, stats };
}

export async function runScenarioTask(task: ScenarioTask): Promise<ScenarioTaskResult> {
  const { spec, exec } = await checkedSystem(task.setting);
  const options = { ...exec, ops: task.ops, syncEvery: task.syncEvery };
  const inputs = scenariosOf(spec, options)[task.scenario];
  if (inputs === undefined) throw new RangeError(`scenario ${task.scenario} is not among ${task.setting.system}'s`);
  const result = await runScenario(spec, inputs, options, exec.vocabulary);
  return { scenario: task.scenario, runs: result.runs, stats: result.stats, failing: result.failure?.schedule ?? null };
}

/** Pool threads' handlers (tools/parallel/): the result, or a user's error as its message. */
export const runBlockOnPool = answering(runBlock);
export const runScenarioTaskOnPool = answering(runScenarioTask);

export const BLOCK_WORKER: PoolWorker = { module: 'tools/check/worker.ts', handler: 'runBlockOnPool' };
export const SCENARIO_WORKER: PoolWorker = { module: 'tools/check/worker.ts', handler: 'runScenarioTaskOnPool' };
