/**
 * `capsim check <system>` — the crash explorer (tools/check/). Draws schedules of workloads and
 * faults with fast-check, runs each, restarts after every fault and judges every invariant it
 * can; on a violation shrinks the schedule, prints it step by step with one command that
 * replays it, and exits 1. `--exhaustive` instead tries every crash point of every small
 * scenario; `--schedule JSON` runs one schedule as it is. `--workers N` spreads the runs over
 * worker threads and `--shard K/N` runs one slice of them (tools/check/parallel.ts), with the
 * same result as one thread.
 */
import { parseFlag } from '../flags.ts';
import type { Command } from 'commander';
import type { SystemSpec } from '../../../kernel/index.ts';
import { BROKEN_VARIANTS, isBrokenVariant, OUTPUT_RELEASES, type BrokenVariant, type OutputRelease, type PersistenceModel } from '../../../restart-agent/index.ts';
import { MODEL_OPTION_HELP, modelOption } from '../model-option.ts';
import { SCHEDULE_DEFAULTS } from '../../check/arbitraries.ts';
import { addStats, emptyStats, runSchedule, type ExecuteOptions } from '../../check/execute.ts';
import { exhaustive } from '../../check/exhaustive.ts';
import { explore } from '../../check/explore.ts';
import { blocksOf, exhaustiveSpread, exploreSpread } from '../../check/parallel.ts';
import { formatFailure, replayCommand, scheduleCommand, type ReplaySetting } from '../../check/format.ts';
import { parseSchedule } from '../../check/parse-schedule.ts';
import { EXIT_INTERRUPTED, progress } from '../progress.ts';
import { FAULT_KINDS, faultKindsFor, type FaultKind, type Schedule } from '../../check/schedule.ts';
import { formatSummary, summarize, type CheckSummary } from '../../check/summary.ts';
import type { RunOutcome } from '../../check/execute.ts';
import { vocabularyOf } from '../../check/workload.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import { loadHistoryChecks, loadSystem } from '../load-system.ts';
import { printJson } from '../output.ts';
import { WORKERS_MAX } from '../../parallel/pool.ts';
import { inShard, resolveShard, shardLabel, type Shard } from '../../parallel/shard.ts';

interface CheckOptions {
  runs: string;
  seed?: string;
  path?: string;
  model: string;
  json?: boolean;
  exhaustive?: boolean;
  ops: string;
  syncEvery: string;
  faults?: string;
  maxSteps: string;
  maxCranks: string;
  schedule?: string;
  release: string;
  workers: string;
  shard?: string;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('the crash explorer: random workloads and faults, a restart after each, every invariant judged; a failure is shrunk and printed with its replay command')
    .argument('<system>', 'an example name (see capsim examples) or a path to a module that exports `system`')
    .option('--runs <n>', 'generated schedules to run', '200')
    .option('--seed <n>', "fast-check's seed (default: a fresh one, printed)")
    .option('--path <p>', "fast-check's path to a shrunk failure (with --seed): replays it")
    .option('--model <m>', MODEL_OPTION_HELP, 'explicit')
    .option('--faults <kinds>', `fault kinds to draw, comma-separated (${FAULT_KINDS.join(',')}; checkpoint needs a checkpoint model)`)
    .option('--max-steps <n>', 'faults per schedule (each after some cranks, followed by a restart)', String(SCHEDULE_DEFAULTS.maxSteps))
    .option('--max-cranks <n>', 'cranks before each fault', String(SCHEDULE_DEFAULTS.maxCranks))
    .option('--exhaustive', 'every crash point (crank boundary x kept commit prefix) of every scenario of up to --ops inputs')
    .option('--ops <n>', 'with --exhaustive: inputs per scenario', '3')
    .option('--sync-every <n>', 'with --exhaustive: sync every Nth commit', '3')
    .option('--schedule <json>', 'run this one schedule (as a failure prints it) and judge it')
    .option('--release <when>', "when answers to clients leave the machine: safe (once durable) or unsafe (at once, to show the anomaly)", 'safe')
    .option('--workers <n>', `worker threads to spread the runs (or exhaustive scenarios) over, 1..${WORKERS_MAX}; the result is the same for any number`, '1')
    .option('--shard <k/n>', 'run only slice K of N of the runs (every Nth block of runs, or of scenarios), for N machines; needs --seed in random mode so that every shard explores the same runs (also from SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX with CAPSIM_SHARDS)')
    .option('--json', 'print the summary (runs, faults, violations, ...) as one JSON object')
    .action(async (ref: string, opts: CheckOptions) => {
      const summary = await check(ref, opts);
      if (opts.json) printJson(summary);
      if (summary.violations.length > 0) {
        const first = summary.violations[0];
        throw new CommandFailed(`invariant violated: ${first?.invariant}${summary.replay !== null ? `; replay: ${summary.replay}` : ''}`);
      }
    });
}

function parseFaults(text: string | undefined, model: PersistenceModel): FaultKind[] {
  if (text === undefined) return faultKindsFor(model);
  const kinds = text.split(',').map((k) => k.trim()).filter((k) => k !== '');
  const unknown = kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
  if (kinds.length === 0 || unknown.length > 0) throw new UsageError(`--faults takes a comma-separated list of ${FAULT_KINDS.join(', ')}${unknown.length > 0 ? `; unknown: ${unknown.join(', ')}` : ''}`);
  if (!model.checkpoints && kinds.includes('checkpoint')) throw new UsageError(`--faults checkpoint needs a model that takes checkpoints (checkpoint, both, transcript): the ${model.name} model writes none`);
  return kinds as FaultKind[];
}

/** fast-check's seeds are 32-bit signed integers; a replay line may print a negative one. */
function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^-?\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < -(2 ** 31) || n >= 2 ** 31) throw new UsageError(`--seed must be a whole number in ${-(2 ** 31)}..${2 ** 31 - 1}, got '${text}'`);
  return n;
}

/** A replay path as fast-check prints it: run index, then shrink steps. */
const PATH_FORMAT = /^\d{1,9}(:\d{1,9}){0,10000}$/;

/**
 * A deliberately broken restart agent to check (restart-agent/broken-variants.ts), named in the
 * environment as the printed replay command names it: how a test provokes a failure and replays
 * it. It goes down to every run's System as an option.
 */
function variantFromEnvironment(): BrokenVariant | null {
  const name = process.env.CAPSIM_BROKEN_VARIANT;
  if (name === undefined || name === '') return null;
  if (!isBrokenVariant(name)) throw new UsageError(`CAPSIM_BROKEN_VARIANT must be one of ${BROKEN_VARIANTS.join(', ')}, got '${name}'`);
  return name;
}

async function check(ref: string, opts: CheckOptions): Promise<CheckSummary> {
  const model = await modelOption(opts.model);
  const faults = parseFaults(opts.faults, model);
  const runs = parseFlag(opts.runs, '--runs');
  const maxSteps = parseFlag(opts.maxSteps, '--max-steps');
  const maxCranks = parseFlag(opts.maxCranks, '--max-cranks');
  const seed = parseSeed(opts.seed);
  if (opts.path !== undefined && !PATH_FORMAT.test(opts.path)) throw new UsageError(`--path must be numbers joined by ':', as a failure's replay line prints it, got '${opts.path}'`);
  if (opts.path !== undefined && seed === undefined) throw new UsageError('--path replays a failure together with its --seed: give both');
  if (opts.exhaustive && (opts.schedule !== undefined || opts.path !== undefined)) throw new UsageError('--exhaustive tries every crash point itself: drop --schedule and --path');
  if (!(OUTPUT_RELEASES as readonly string[]).includes(opts.release)) throw new UsageError(`--release must be one of ${OUTPUT_RELEASES.join(', ')}, got '${opts.release}'`);
  const release = opts.release as OutputRelease;
  const variant = variantFromEnvironment();
  const workers = parseFlag(opts.workers, '--workers');
  const replaying = opts.schedule !== undefined || opts.path !== undefined;
  if (replaying && opts.shard !== undefined) throw new UsageError('--shard slices an exploration: a replay (--path or --schedule) runs one schedule whole');
  const shard = replaying ? null : shardFrom(opts.shard);
  if (shard !== null && !opts.exhaustive && seed === undefined) throw new UsageError(`--shard needs --seed in random mode: every shard must draw the same runs (${shardLabel(shard)})`);
  // A replay runs one schedule: there is nothing to spread.
  const spread: Spread = { workers: replaying ? 1 : workers, shard };
  const spec = await loadSystem(ref);
  const historyChecks = await loadHistoryChecks(ref);
  const setting: ReplaySetting = { system: ref, model: opts.model, faults, maxSteps, maxCranks, variant, release };
  const exec: HistoryOptions = { release, historyChecks, model };
  if (opts.schedule !== undefined) return oneSchedule(spec, opts, setting, exec);
  if (opts.exhaustive) return allCrashPoints(spec, opts, setting, exec, spread);
  return randomRuns(spec, opts, setting, runs, seed, exec, spread);
}

/** Threads and the slice of the runs; one thread and no shard is the exploration as it always ran. */
interface Spread {
  workers: number;
  shard: Shard | null;
}

function shardFrom(flag: string | undefined): Shard | null {
  try {
    return resolveShard(flag, process.env);
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
}

/** The options every run of this check is executed with besides the model: a broken variant, if one was named. */
function executeOptions(setting: ReplaySetting): ExecuteOptions {
  return setting.variant !== null ? { variant: setting.variant } : {};
}

function printFailure(opts: CheckOptions, spec: SystemSpec, schedule: Schedule, outcome: RunOutcome, heading: string, replay: string): void {
  if (opts.json) return;
  process.stdout.write(`${heading}\n${formatFailure(schedule, outcome, vocabularyOf(spec).labels, vocabularyOf(spec).clients)}\nreplay: ${replay}\n\n`);
}

type HistoryOptions = Pick<ExecuteOptions, 'release' | 'historyChecks' | 'model'>;

async function randomRuns(spec: SystemSpec, opts: CheckOptions, setting: ReplaySetting, runs: number, seed: number | undefined, exec: HistoryOptions, spread: Spread): Promise<CheckSummary> {
  const share = spread.shard === null ? runs : blocksOf(runs).filter((b) => inShard(b.index, spread.shard)).reduce((sum, b) => sum + b.count, 0);
  const bar = progress({ total: share, label: 'runs', enabled: !opts.json });
  let shown = 0;
  let shrinkingNow = false;
  const onRun = (done: number, shrinking: boolean): void => {
    // While shrinking, the count stays where the failure was found and the note says so.
    bar.tick(Math.max(0, done - shown), shrinking ? 'shrinking a failure' : '');
    shown = Math.max(shown, done);
    shrinkingNow = shrinking;
  };
  // Ctrl-C: what the runs so far judged, then exit 130. One thread fills `live` as it goes;
  // workers report their verdicts per block, so there only the count of runs is known.
  const live = emptyStats();
  const started = performance.now();
  const threaded = spread.workers > 1 || spread.shard !== null;
  const onInterrupt = (): void => {
    bar.stop();
    const partial = summarize({ system: spec.name, model: setting.model, mode: 'random', seed: seed ?? null, shard: spread.shard, runs: shown, shrinkRuns: 0, timeMs: performance.now() - started, replay: null }, live, []);
    const verdict = shrinkingNow ? 'a violation was found and was being shrunk: run again with the same --seed to see it' : 'no violation so far';
    const line = `interrupted after ${shown} run(s): ${verdict}${threaded ? ' (verdicts are gathered per block of runs on workers: none shown)' : ''}`;
    if (opts.json) printJson({ ...partial, interrupted: line });
    else process.stdout.write(`${threaded ? '' : `${formatSummary(partial)}\n`}capsim: ${line}\n`);
    process.exit(EXIT_INTERRUPTED);
  };
  process.once('SIGINT', onInterrupt);
  const explored =
    spread.workers === 1 && spread.shard === null
      ? explore(spec, {
          ...exec,
          runs,
          ...(seed !== undefined ? { seed } : {}),
          ...(opts.path !== undefined ? { path: opts.path } : {}),
          ...executeOptions(setting),
          faults: setting.faults,
          maxSteps: setting.maxSteps,
          maxCranks: setting.maxCranks,
          onRun,
          stats: live,
        })
      : exploreSpread(spec, { ...exec, ...executeOptions(setting) }, setting, { ...spread, runs, ...(seed !== undefined ? { seed } : {}), onRun });
  const result = await explored
    .catch((error: unknown) => {
      // A well-formed path that leads nowhere in this system's schedules: the user's replay line does not fit.
      if (opts.path !== undefined && error instanceof Error && /Unable to replay/.test(error.message)) throw new UsageError(`--path ${opts.path} is no replay of --seed ${String(seed)} for this system and these flags: use the replay line exactly as printed`);
      throw error;
    })
    .finally(() => {
      process.off('SIGINT', onInterrupt);
      bar.stop();
    });
  const failure = result.failure;
  const replay = failure !== null ? replayCommand(setting, failure.seed, failure.path) : null;
  if (failure !== null && replay !== null) {
    const heading = `capsim check ${setting.system}: a violation after ${failure.runsToFailure} run(s)${spread.shard !== null ? ` of ${shardLabel(spread.shard)}` : ''} (seed ${failure.seed}), shrunk ${failure.shrinks} time(s) to:`;
    printFailure(opts, spec, failure.schedule, failure.outcome, heading, replay);
  }
  const summary = summarize(
    { system: spec.name, model: setting.model, mode: 'random', seed: result.seed, shard: spread.shard, runs: result.runs, shrinkRuns: result.shrinkRuns, timeMs: result.timeMs, replay },
    result.stats,
    failure?.outcome.violations ?? [],
  );
  if (!opts.json) process.stdout.write(`${formatSummary(summary)}\n`);
  return summary;
}

async function allCrashPoints(spec: SystemSpec, opts: CheckOptions, setting: ReplaySetting, exec: HistoryOptions, spread: Spread): Promise<CheckSummary> {
  const ops = parseFlag(opts.ops, '--ops');
  const syncEvery = parseFlag(opts.syncEvery, '--sync-every');
  const result =
    spread.workers === 1 && spread.shard === null
      ? await exhaustive(spec, { ...exec, ops, syncEvery, ...executeOptions(setting) })
      : await exhaustiveSpread(spec, { ...exec, ...executeOptions(setting) }, setting, { ...spread, ops, syncEvery });
  const replay = result.failure !== null ? scheduleCommand(setting, result.failure.schedule) : null;
  if (result.failure !== null && replay !== null) printFailure(opts, spec, result.failure.schedule, result.failure.outcome, `capsim check ${setting.system} --exhaustive: a violation at crash point ${result.runs}:`, replay);
  const summary = summarize(
    { system: spec.name, model: setting.model, mode: 'exhaustive', seed: null, shard: spread.shard, runs: result.runs, shrinkRuns: 0, timeMs: result.timeMs, replay },
    result.stats,
    result.failure?.outcome.violations ?? [],
  );
  const scenarios = 'share' in result && spread.shard !== null ? `${result.share} of ${result.scenarios}` : String(result.scenarios);
  if (!opts.json) process.stdout.write(`${formatSummary(summary)}\n  (${scenarios} scenario(s) of up to ${ops} input(s), every crank boundary and kept prefix)\n`);
  return summary;
}

async function oneSchedule(spec: SystemSpec, opts: CheckOptions, setting: ReplaySetting, exec: HistoryOptions): Promise<CheckSummary> {
  let schedule: Schedule;
  try {
    schedule = parseSchedule(opts.schedule as string);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const started = performance.now();
  const outcome = await runSchedule(spec, schedule, { ...exec, ...executeOptions(setting) });
  const stats = emptyStats();
  addStats(stats, outcome.stats);
  const replay = outcome.violations.length > 0 ? scheduleCommand(setting, schedule) : null;
  if (replay !== null) printFailure(opts, spec, schedule, outcome, `capsim check ${setting.system}: the schedule violates an invariant:`, replay);
  const summary = summarize({ system: spec.name, model: setting.model, mode: 'schedule', seed: null, shard: null, runs: 1, shrinkRuns: 0, timeMs: performance.now() - started, replay }, stats, outcome.violations);
  if (!opts.json) process.stdout.write(`${formatSummary(summary)}\n`);
  return summary;
}
