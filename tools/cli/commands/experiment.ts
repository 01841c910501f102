/**
 * `capsim experiment run FILE` and `capsim experiment merge FILE DIR...` — parameter sweeps
 * over systems, persistence models, fault plans and seeds; results as CSV/JSON, a summary,
 * SVG plots and a Markdown report. See tools/experiment/README.md.
 */
import { parseFlag } from '../flags.ts';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { ExperimentError } from '../../experiment/definition.ts';
import { mergeExperiments, replayTrial, runExperiment } from '../../experiment/experiment.ts';
import { JournalError } from '../../experiment/journal.ts';
import { TaskFailed, WORKERS_MAX } from '../../parallel/pool.ts';
import { resolveShard } from '../../parallel/shard.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import { bold, dim, printJson } from '../output.ts';
import { EXIT_INTERRUPTED, progress, type Progress } from '../progress.ts';


interface RunOptions {
  workers?: string;
  shard?: string;
  out?: string;
  resume?: boolean;
  trial?: string;
  json?: boolean;
}


export function registerExperiment(program: Command): void {
  const experiment = program.command('experiment').description('parameter sweeps: run an experiment file in parallel or in shards, merge shards, get tables and plots');
  experiment
    .command('run')
    .description('run every trial of an experiment (or one shard of them) and write results, summary, plots and a report')
    .argument('<file>', 'an experiment: a .ts/.js module exporting `experiment`, or a .json file')
    .option('--workers <n>', `worker threads, 1..${WORKERS_MAX} (default: the cores of this machine)`)
    .option('--shard <k/n>', 'run only shard K of N (also from SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX with CAPSIM_SHARDS)')
    .option('--out <dir>', 'output folder (default: experiments/out/<name>)')
    .option('--resume', 'keep the rows the output folder holds and run only the missing trials')
    .option('--trial <id>', 'run this one trial (as a results row names it) and print its row')
    .option('--json', 'print the outcome as one JSON object')
    .action(async (file: string, opts: RunOptions) => {
      await mapped(async () => {
        if (opts.trial !== undefined) {
          const row = await replayTrial(file, opts.trial);
          if (opts.json) printJson(row);
          else process.stdout.write(`${formatRow(row)}\n`);
          return;
        }
        const workers = opts.workers === undefined ? availableParallelism() : parseFlag(opts.workers, '--workers');
        const shard = resolveShard(opts.shard, process.env);
        const { loadExperiment } = await import('../../experiment/load.ts');
        const def = (await loadExperiment(file)).definition;
        const out = opts.out ?? `experiments/out/${def.name}${shard ? `-shard${shard.index + 1}of${shard.count}` : ''}`;
        let interrupted = false;
        const onSigint = (): void => {
          interrupted = true;
        };
        process.on('SIGINT', onSigint);
        let bar = null as Progress | null;
        let shown = 0;
        try {
          const result = await runExperiment({
            file,
            out,
            workers,
            shard,
            resume: opts.resume === true,
            stopped: () => interrupted,
            onProgress: (done, total) => {
              bar ??= progress({ total, label: 'trials', enabled: !opts.json });
              bar.tick(done - shown);
              shown = done;
            },
          });
          bar?.stop();
          if (opts.json) printJson({ experiment: def.name, out, shard, workers, trials: result.trials, share: result.share, ran: result.ran, resumed: result.resumed, complete: result.complete, files: result.outputs.files });
          else {
            process.stdout.write(`${bold(`experiment '${def.name}'`)}: ${result.ran} trial(s) run${result.resumed > 0 ? `, ${result.resumed} kept from before` : ''}${shard ? ` (shard ${shard.index + 1}/${shard.count}: ${result.share} of ${result.trials})` : ''}, ${workers} worker(s)\n`);
            process.stdout.write(`results in ${out}/: ${result.outputs.files.join(', ')}\n`);
            if (!result.complete) process.stdout.write(dim(`stopped before the end: run again with --resume to finish\n`));
          }
          if (interrupted) throw new CommandFailed(`stopped by Ctrl-C after ${result.ran} trial(s); the rows are kept in ${out}/rows.jsonl: --resume finishes the rest`, EXIT_INTERRUPTED);
        } finally {
          bar?.stop();
          process.off('SIGINT', onSigint);
        }
      });
    });
  experiment
    .command('merge')
    .description('join the results of several shards (their output folders) into one')
    .argument('<file>', 'the experiment file the shards ran')
    .argument('<dirs...>', 'the shards\' output folders')
    .requiredOption('--out <dir>', 'where the merged results go')
    .option('--json', 'print the outcome as one JSON object')
    .action(async (file: string, dirs: string[], opts: { out: string; json?: boolean }) => {
      await mapped(async () => {
        const merged = await mergeExperiments(file, dirs, opts.out);
        if (opts.json) printJson({ out: opts.out, rows: merged.rows, trials: merged.trials, files: merged.outputs.files });
        else process.stdout.write(`merged ${dirs.length} folder(s): ${merged.rows} of ${merged.trials} trial(s) into ${opts.out}/\n`);
        if (merged.rows < merged.trials) throw new CommandFailed(`${merged.trials - merged.rows} trial(s) are in none of the folders: a shard is missing or unfinished`);
      });
    });
}

/** The experiment's own errors are the user's to fix: one line, exit 2 or 1. */
async function mapped(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof ExperimentError || error instanceof RangeError) throw new UsageError(error.message);
    if (error instanceof JournalError || error instanceof TaskFailed) throw new CommandFailed(error.message);
    throw error;
  }
}

function formatRow(row: Awaited<ReturnType<typeof replayTrial>>): string {
  const params = Object.entries(row.params).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  const metrics = Object.entries(row.metrics).map(([k, v]) => `  ${k.padEnd(18)} ${v === null ? '–' : String(Math.round(v * 1000) / 1000)}`);
  return [`trial ${row.trial}: ${row.system} seed ${row.seed}`, `  ${params}`, ...metrics].join('\n');
}
