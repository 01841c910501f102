/**
 * `capsim run <system>` — runs an example or a user's system on a fresh store for N cranks
 * with a seed, optionally pulls the power at crank K and restarts, and prints a summary: the
 * processes and their states, the cranks, the trace hash, and the restart report. Exit 1 when
 * an invariant is violated.
 */
import { parseFlag } from '../flags.ts';
import { whyStopped, type Stopped } from '../stop-reason.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { redactData, redactTokens, type PlainData, type SystemSpec } from '../../../kernel/index.ts';
import {
  checkNoAmplification,
  DEFAULT_CHECKPOINT_EVERY,
  describeLocation,
  formatReport,
  PERSISTENCE_MODELS,
  System,
  violations,
  type InvariantVerdicts,
  type BuiltInModelName,
  type RestartReport,
  type StoreLocation,
} from '../../../restart-agent/index.ts';
import { formatHistory, historyCounts, outputLatency, OUTPUT_RELEASES, type History, type OutputLatency, type OutputRelease } from '../../../restart-agent/index.ts';
import { MemoryDisk } from '../../../store/index.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import { MODEL_OPTION_HELP, modelOption } from '../model-option.ts';
import { loadSystem } from '../load-system.ts';
import { storeLocation } from '../locate.ts';
import { bold, colorVerdicts, cyan, dim, printJson } from '../output.ts';
import { progress, type Progress } from '../progress.ts';

/** Shorter runs end before a bar would be worth drawing. */
const PROGRESS_MIN_CRANKS = 10_000;
/** Cranks between two moves of the bar. */
const PROGRESS_CHUNK = 1_000;

export interface RunOptions {
  cranks: string;
  seed: string;
  store?: string;
  memory?: boolean;
  powerLossAt?: string;
  keepBatches: string;
  syncEvery: string;
  model: string;
  checkpointEvery: string;
  release?: string;
  history?: boolean;
  json?: boolean;
}

export interface ProcessSummary {
  pid: number;
  program: string;
  args: readonly PlainData[];
  status: string;
  state: PlainData;
  /** Faults since the last boot (each restarted or ended it under its policy). */
  faults: number;
  /** Why its last crank faulted, while that is what it is left with (a restart clears it). */
  lastFault: string | null;
}

export interface RunSummary {
  system: string;
  /** The persistence model's name. */
  model: string;
  seed: number;
  store: string;
  cranks: number;
  /** Why the run ended: the crank limit, every process ended, or nothing left to do. */
  stopped: Stopped;
  /** afterCranks counts the cranks this run ran; clock is the system's crank clock, start cranks included. */
  powerLoss: { afterCranks: number; clock: number; unsyncedBatches: number; keptBatches: number } | null;
  restart: RestartReport | null;
  processes: ProcessSummary[];
  invariants: InvariantVerdicts;
  traceHash: string;
  /** External inputs the kernel refused (their endpoint's process gone, or a full queue), and the last reason. */
  refusedInputs: { count: number; last: string | null };
  /** The clients' history (what they asked and were told), its counts, and how long answers were held; null without clients. */
  clients: { release: OutputRelease; counts: ReturnType<typeof historyCounts>; outputLatency: OutputLatency; history: History } | null;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a system (an example name or a module exporting `system`) on a fresh store; optionally pull the power and restart')
    .argument('<system>', 'an example name (see capsim examples) or a path to a module that exports `system`')
    .option('--cranks <n>', 'cranks to run in all', '100')
    .option('--seed <n>', 'seed for every choice', '1')
    .option('--store <dir>', 'a store folder to create the system in (default: a temporary folder, removed afterwards)')
    .option('--memory', 'use an in-memory store instead of a folder')
    .option('--power-loss-at <k>', 'pull the power after crank K, restart, and run the remaining cranks')
    .option('--keep-batches <b>', 'unsynced commit batches that survive the power loss', '0')
    .option('--sync-every <n>', 'sync every Nth commit', '4')
    .option('--model <model>', MODEL_OPTION_HELP, 'explicit')
    .option('--checkpoint-every <n>', 'cranks between checkpoints (models that take them: checkpoint, both, transcript)', String(DEFAULT_CHECKPOINT_EVERY))
    .option('--release <when>', 'when answers to clients leave the machine: safe (once durable) or unsafe (at once)', 'safe')
    .option('--history', "print the clients' history: every call and answer")
    .option('--json', 'print the summary as one JSON object')
    .action(async (ref: string, opts: RunOptions) => {
      const summary = await runSystem(ref, opts);
      if (opts.json) printJson(summary);
      else process.stdout.write(formatSummary(summary, opts.history === true));
      const broken = violations(summary.invariants);
      if (broken.length > 0) throw new CommandFailed(`invariant violated: ${broken.join('; ')}`);
    });
}

export async function runSystem(ref: string, opts: RunOptions): Promise<RunSummary> {
  const cranks = parseFlag(opts.cranks, '--cranks');
  const seed = parseFlag(opts.seed, '--seed');
  const keep = parseFlag(opts.keepBatches, '--keep-batches');
  const syncEvery = parseFlag(opts.syncEvery, '--sync-every');
  const lossAt = opts.powerLossAt === undefined ? null : parseFlag(opts.powerLossAt, '--power-loss-at');
  if (lossAt !== null && lossAt > cranks) throw new UsageError(`--power-loss-at ${lossAt} is after the last crank (--cranks ${cranks})`);
  if (opts.store !== undefined && opts.memory) throw new UsageError('--store and --memory exclude each other: pick one');
  const model = await modelOption(opts.model);
  const checkpointEvery = parseFlag(opts.checkpointEvery, '--checkpoint-every');
  const release = (opts.release ?? 'safe') as OutputRelease;
  if (!OUTPUT_RELEASES.includes(release)) throw new UsageError(`--release must be one of ${OUTPUT_RELEASES.join(', ')}, not '${String(opts.release)}'`);
  const spec: SystemSpec = await loadSystem(ref);

  let temp: string | null = null;
  let location: StoreLocation;
  if (opts.memory) location = { backend: 'memory', disk: new MemoryDisk() };
  else if (opts.store !== undefined) location = storeLocation(opts.store);
  else {
    temp = await mkdtemp(join(tmpdir(), 'capsim-run-'));
    location = storeLocation(temp);
  }
  try {
    const system = await System.create({ spec, store: location, seed, syncEvery, model, checkpointEvery, release });
    try {
      let ran = 0;
      let powerLoss: RunSummary['powerLoss'] = null;
      let restart: RestartReport | null = null;
      const bar = progress({ total: cranks, label: 'cranks', enabled: !opts.json && cranks > PROGRESS_MIN_CRANKS });
      try {
        if (lossAt !== null) {
          ran += await runCounted(system, lossAt, bar);
          const loss = await system.powerLoss({ keepBatches: keep });
          powerLoss = { afterCranks: ran, clock: loss.cranks, unsyncedBatches: loss.unsyncedBatches, keptBatches: Math.min(keep, loss.unsyncedBatches) };
          bar.tick(0, 'restarting');
          restart = await system.restart();
          ran += await runCounted(system, cranks - lossAt, bar);
        } else {
          ran += await runCounted(system, cranks, bar);
        }
      } finally {
        bar.stop();
      }
      const invariants: InvariantVerdicts = restart ? { ...restart.invariants } : {};
      invariants['I4 no amplification (at the end)'] = checkNoAmplification(system.kernel);
      const processes: ProcessSummary[] = [...system.kernel.processes()]
        .sort((a, b) => a.id - b.id)
        .map((p) => ({ pid: p.id, program: p.program, args: p.args, status: p.status, state: redactData(p.state), faults: system.supervisor.faults.get(p.id) ?? 0, lastFault: p.lastFault }));
      return { system: spec.name, model: model.name, seed, store: temp !== null ? 'a temporary folder (removed)' : describeLocation(location), cranks: ran, stopped: whyStopped(system, cranks, ran), powerLoss, restart, processes, invariants, traceHash: system.kernel.trace.hash, refusedInputs: { count: system.refusedInputs, last: system.lastRefusal }, clients: clientsPart(system) };
    } finally {
      await system.close();
    }
  } finally {
    if (temp !== null) await rm(temp, { recursive: true, force: true });
  }
}

/** A built-in model's name (commands that take no model of the user's own: graph, repl). */
export function parseModel(text: string): BuiltInModelName {
  const model = PERSISTENCE_MODELS.find((m) => m === text);
  if (model === undefined) throw new UsageError(`--model must be one of ${PERSISTENCE_MODELS.join(', ')}, not '${text}'`);
  return model;
}

/** Runs up to `cranks` cranks in chunks, so that the bar moves; returns how many ran. */
async function runCounted(system: System, cranks: number, bar: Progress): Promise<number> {
  let ran = 0;
  while (ran < cranks) {
    const chunk = Math.min(PROGRESS_CHUNK, cranks - ran);
    const n = await system.run(chunk);
    ran += n;
    bar.tick(n);
    // A memory store answers through promises alone; a turn of the event loop lets Ctrl-C in.
    await new Promise((resolve) => setImmediate(resolve));
    if (n < chunk) break;
  }
  return ran;
}

function clientsPart(system: System): RunSummary['clients'] {
  if (!system.clients.active) return null;
  const history = [...system.clients.history];
  // A client may have been answered with a token: the report shows it without its secret.
  return { release: system.clients.release, counts: historyCounts(history), outputLatency: outputLatency(history), history: redactData(history) };
}

function formatSummary(s: RunSummary, withHistory: boolean): string {
  const lines: string[] = [];
  lines.push(bold(`system '${s.system}', seed ${s.seed}, store ${s.store}, model ${s.model}`));
  lines.push(`${s.cranks} crank(s) run${s.powerLoss ? ` in all, the power pulled after crank ${s.powerLoss.afterCranks} (system clock ${s.powerLoss.clock}, start cranks included)` : ''}; ${s.stopped.text}`);
  if (s.powerLoss && s.restart) {
    lines.push('');
    lines.push(cyan(`power loss: ${s.powerLoss.unsyncedBatches} unsynced batch(es) in the volatile buffer, ${s.powerLoss.keptBatches} kept`));
    lines.push(colorVerdicts(formatReport(s.restart)));
  }
  lines.push('');
  lines.push(cyan('processes:'));
  for (const p of s.processes) {
    lines.push(`  p${p.pid} ${p.program} ${JSON.stringify(p.args)} ${p.status}  ${dim(redactTokens(JSON.stringify(p.state) ?? 'null'))}`);
    if (p.faults > 0 || p.lastFault !== null) lines.push(`    ${p.faults} fault(s) since the last boot${p.lastFault !== null ? `; last fault: ${p.lastFault}` : ''}`);
  }
  lines.push('');
  const shown = new Set(Object.keys(s.restart?.invariants ?? {}));
  lines.push(colorVerdicts(Object.entries(s.invariants).filter(([k]) => !shown.has(k)).map(([k, v]) => `${v === 'ok' ? 'ok  ' : v.startsWith('not checked') ? '--  ' : 'FAIL'} ${k}${v === 'ok' ? '' : `: ${v}`}`).join('\n')));
  if (s.clients !== null) {
    const { counts: c, outputLatency: l } = s.clients;
    lines.push(cyan(`clients: ${c.ops} operation(s): ${c.ok} ok, ${c.fail} fail, ${c.indeterminate} indeterminate, ${c.ops - c.ok - c.fail - c.indeterminate} pending`));
    lines.push(`  answers held inside the machine until durable (release ${s.clients.release}): mean ${l.heldCranksMean.toFixed(1)}, at most ${l.heldCranksMax} crank(s)`);
    if (withHistory) lines.push(formatHistory(s.clients.history, '  '));
  }
  if (s.refusedInputs.count > 0) lines.push(dim(`${s.refusedInputs.count} input(s) refused by the kernel; the last: ${s.refusedInputs.last ?? '?'}`));
  lines.push(dim(`trace hash ${s.traceHash}${s.restart ? ' (since the restart)' : ''}`));
  return `${lines.join('\n')}\n`;
}
