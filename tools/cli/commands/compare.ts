/**
 * `capsim compare <system> --power-loss-at K` — the same system, seed, inputs and power loss
 * under each persistence model, side by side: what each restart restored, how much work was
 * lost, the processes' states at the end, and the invariant verdicts. The experiment DESIGN.md
 * asks for ("compare persistence designs under the same faults"); on transfer-naive it shows
 * Shapiro's inconsistent cut under explicit persistence and none under checkpoints.
 */
import type { Command } from 'commander';
import type { StopReason } from '../stop-reason.ts';
import { PERSISTENCE_MODELS, violations } from '../../../restart-agent/index.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import { modelOption } from '../model-option.ts';
import { bold, cyan, dim, printJson } from '../output.ts';
import { runSystem, type RunSummary } from './run.ts';

interface CompareOptions {
  cranks: string;
  seed: string;
  powerLossAt: string;
  keepBatches: string;
  syncEvery: string;
  checkpointEvery: string;
  models: string;
  json?: boolean;
}

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('run a system under each persistence model with the same seed and power loss, side by side')
    .argument('<system>', 'an example name or a path to a module that exports `system`')
    .requiredOption('--power-loss-at <k>', 'pull the power after crank K (in every run)')
    .option('--cranks <n>', 'cranks to run in all', '100')
    .option('--seed <n>', 'seed for every choice', '1')
    .option('--keep-batches <b>', 'unsynced commit batches that survive the power loss', '0')
    // Not run's defaults (4 and 100): a comparison is about the models' designs, so the explicit
    // model syncs every commit and a checkpoint comes often enough for a short run to show one.
    .option('--sync-every <n>', 'sync every Nth commit (explicit, both, transcript; 4 in run: here every commit is durable, so what is lost is the design, not a sync interval)', '1')
    .option('--checkpoint-every <n>', 'cranks between checkpoints (checkpoint, both, transcript; 100 in run: here small enough for a short run to take some)', '5')
    .option('--models <list>', "comma-separated models to compare: built-in names or paths to modules that export 'model'", PERSISTENCE_MODELS.join(','))
    .option('--json', 'print { system, seed, powerLossAt, runs: { <model>: summary } }')
    .action(async (ref: string, opts: CompareOptions) => {
      const refs = opts.models.split(',').map((m) => m.trim());
      const models: string[] = [];
      for (const text of refs) models.push((await modelOption(text, '--models')).name);
      if (models.length === 0 || new Set(models).size !== models.length) throw new UsageError('--models must name each model at most once');
      const runs: Record<string, RunSummary> = {};
      for (const [i, model] of models.entries()) {
        runs[model] = await runSystem(ref, { cranks: opts.cranks, seed: opts.seed, powerLossAt: opts.powerLossAt, keepBatches: opts.keepBatches, syncEvery: opts.syncEvery, checkpointEvery: opts.checkpointEvery, model: refs[i] as string, memory: true });
      }
      const first = runs[models[0] as string] as RunSummary;
      if (opts.json) printJson({ system: first.system, seed: first.seed, powerLossAt: Number(opts.powerLossAt), runs });
      else process.stdout.write(formatComparison(models, runs));
      const broken = models.flatMap((m) => violations((runs[m] as RunSummary).invariants).map((v) => `${m}: ${v}`));
      if (broken.length > 0) throw new CommandFailed(`invariant violated: ${broken.join('; ')}`);
    });
}

/** The stop reason in a table cell; the footnote under the table says it in full. */
const STOPPED_SHORT: Record<StopReason, string> = { crank_limit: 'at the crank limit', all_ended: 'every process ended', no_input: 'idle: no input left' };

function formatComparison(models: string[], runs: Record<string, RunSummary>): string {
  const run = (m: string): RunSummary => runs[m] as RunSummary;
  const first = run(models[0] as string);
  const header: [string, ...string[]] = ['', ...models];
  const rows: [string, ...string[]][] = [header];
  rows.push(['cranks run', ...models.map((m) => String(run(m).cranks))]);
  rows.push(['restored from', ...models.map((m) => restoredFrom(run(m)))]);
  rows.push(['cranks lost', ...models.map((m) => String(run(m).restart?.lostCranks ?? '?'))]);
  rows.push(['stopped', ...models.map((m) => STOPPED_SHORT[run(m).stopped.reason])]);
  const pids = first.processes.map((p) => p.pid);
  for (const pid of pids) {
    const label = `p${pid} ${first.processes.find((p) => p.pid === pid)?.program ?? ''}`;
    rows.push([label, ...models.map((m) => JSON.stringify(run(m).processes.find((p) => p.pid === pid)?.state ?? null))]);
  }
  rows.push(['invariants', ...models.map((m) => (violations(run(m).invariants).length === 0 ? 'all ok' : `FAIL ${violations(run(m).invariants).length}`))]);
  rows.push(['trace hash', ...models.map((m) => run(m).traceHash)]);
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = [bold(`system '${first.system}', seed ${first.seed}: the power pulled after crank ${first.powerLoss?.afterCranks ?? '?'} under each model`), ''];
  for (const [i, row] of rows.entries()) {
    const text = row.map((cell, c) => (cell ?? '').padEnd(widths[c] ?? 0)).join('  ').trimEnd();
    lines.push(i === 0 ? cyan(text) : text);
  }
  lines.push('');
  lines.push(dim('each run: a fresh in-memory store, the same seed, inputs and power loss; see capsim run --model M for one run in full'));
  return `${lines.join('\n')}\n`;
}

function restoredFrom(s: RunSummary): string {
  const r = s.restart;
  if (r === null) return '-';
  if (r.transcript !== undefined && r.checkpoint !== undefined) return `checkpoint ${r.checkpoint.seq} (crank ${r.checkpoint.crank}) + ${r.transcript.replayedCranks} replayed`;
  if (r.checkpoint !== undefined) return `checkpoint ${r.checkpoint.seq} (crank ${r.checkpoint.crank})${r.model === 'both' ? ` + ${r.checkpoint.overlaidStorage.length} newer object(s)` : ''}`;
  return `database (${r.restored.length} registration(s))`;
}
