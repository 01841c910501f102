/**
 * Running an experiment: its trials (or one shard of them) on N workers, each row journaled as
 * it finishes, then the outputs written from every row the journal holds. With `resume`, the
 * trials the journal already holds are not run again. Merging joins the journals of several
 * shards (or machines) into one output.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ExperimentError } from './definition.ts';
import { headerOf, JOURNAL_FILE, JournalError, JournalWriter, readJournal, type JournalHeader } from './journal.ts';
import { loadExperiment } from './load.ts';
import { isWallClock } from './metrics.ts';
import { writeOutputs, type Outputs } from './outputs.ts';
import { runTasks } from '../parallel/pool.ts';
import { shardOf, type Shard } from '../parallel/shard.ts';
import { modelOf, systemOf } from './run-trial.ts';
import type { Row } from './rows.ts';
import { trialsOf } from './trials.ts';
import { runTrialTask, TRIAL_WORKER } from './worker.ts';

export interface RunExperimentOptions {
  file: string;
  out: string;
  workers: number;
  shard: Shard | null;
  resume: boolean;
  /** Called after each trial with (done, total) of this run's share. */
  onProgress?: (done: number, total: number) => void;
  stopped?: () => boolean;
}

export interface ExperimentRun {
  outputs: Outputs;
  /** Trials of this share run now, and the ones the journal already held. */
  ran: number;
  resumed: number;
  share: number;
  trials: number;
  complete: boolean;
}

/** The command a row carries: runs that trial alone and prints its row. */
export function replayCommand(file: string, trialId: string): string {
  return `capsim experiment run ${file} --trial ${trialId}`;
}

export async function runExperiment(opts: RunExperimentOptions): Promise<ExperimentRun> {
  const loaded = await loadExperiment(opts.file);
  const def = loaded.definition;
  const all = trialsOf(def);
  const share = opts.shard === null ? all : shardOf(all, opts.shard);
  const header = headerOf(def, all);
  await mkdir(opts.out, { recursive: true });
  const journal = join(opts.out, JOURNAL_FILE);
  const rows: Row[] = [];
  let resumeAt: number | null = null;
  // Resuming where nothing was journaled yet is a first start: a requeued cluster task and a fresh one run the same command.
  if (opts.resume && existsSync(journal)) {
    const previous = await readJournal(journal);
    checkSameExperiment(previous.header, header, journal);
    rows.push(...previous.rows);
    resumeAt = previous.wholeBytes;
  }
  // Every system resolves here, once, before any worker starts: a misnamed one is one line, not a failed trial per worker.
  const firstOfSystem = new Map(all.map((t) => [t.cell.system, t] as const));
  for (const trial of firstOfSystem.values()) await systemOf(loaded, trial);
  const firstOfModel = new Map(all.map((t) => [t.cell.params.model, t] as const));
  for (const trial of firstOfModel.values()) await modelOf(loaded, trial);
  const done = new Set(rows.map((r) => r.trial));
  const pending = share.filter((t) => !done.has(t.id));
  const writer = JournalWriter.open(journal, header, resumeAt);
  let ran = 0;
  try {
    await runTasks(
      pending.map((t) => ({ file: resolve(opts.file), index: t.index, replay: replayCommand(opts.file, t.id) })),
      {
        workers: opts.workers,
        worker: TRIAL_WORKER,
        inline: runTrialTask,
        stopped: opts.stopped,
        onResult: (row) => {
          writer.append(row);
          rows.push(row);
          ran++;
          opts.onProgress?.(share.length - pending.length + ran, share.length);
        },
      },
    );
  } finally {
    writer.close();
  }
  const outputs = await writeOutputs(def, rows, opts.out, all.length);
  const held = new Set(rows.map((r) => r.trial));
  return { outputs, ran, resumed: share.length - pending.length, share: share.length, trials: all.length, complete: share.every((t) => held.has(t.id)) };
}

/** Runs one trial in this thread and gives its row: what a row's replay command does. */
export async function replayTrial(file: string, trialId: string): Promise<Row> {
  const loaded = await loadExperiment(file);
  const trial = trialsOf(loaded.definition).find((t) => t.id === trialId);
  if (trial === undefined) throw new ExperimentError(`${file}: no trial '${trialId}' (ids are c<cell>-s<seed>, as in results.csv)`);
  return runTrialTask({ file: resolve(file), index: trial.index, replay: replayCommand(file, trial.id) });
}

export interface MergeResult {
  outputs: Outputs;
  rows: number;
  trials: number;
}

/**
 * Joins the journals in `dirs` into `out`: the same experiment and definition everywhere, each
 * trial once (a trial in two journals must agree on every metric but the wall-clock ones).
 */
export async function mergeExperiments(file: string, dirs: readonly string[], out: string): Promise<MergeResult> {
  const loaded = await loadExperiment(file);
  const def = loaded.definition;
  const all = trialsOf(def);
  const header = headerOf(def, all);
  const byTrial = new Map<string, Row>();
  for (const dir of dirs) {
    const path = join(dir, JOURNAL_FILE);
    const journal = await readJournal(path);
    checkSameExperiment(journal.header, header, path);
    for (const row of journal.rows) {
      const seen = byTrial.get(row.trial);
      if (seen !== undefined) {
        const differs = Object.keys(row.metrics).find((m) => !isWallClock(m) && row.metrics[m] !== seen.metrics[m]);
        if (differs !== undefined) throw new ExperimentError(`trial ${row.trial} has two results that differ in ${differs} (${String(seen.metrics[differs])} and ${String(row.metrics[differs])}): the shards did not run the same code`);
        continue;
      }
      byTrial.set(row.trial, row);
    }
  }
  await mkdir(out, { recursive: true });
  const rows = [...byTrial.values()].sort((a, b) => a.index - b.index);
  const writer = JournalWriter.open(join(out, JOURNAL_FILE), header, null);
  try {
    for (const row of rows) writer.append(row);
  } finally {
    writer.close();
  }
  return { outputs: await writeOutputs(def, rows, out, all.length), rows: rows.length, trials: all.length };
}

function checkSameExperiment(found: JournalHeader, expected: JournalHeader, where: string): void {
  if (found.experiment !== expected.experiment) throw new JournalError(`${where} holds experiment '${found.experiment}', not '${expected.experiment}'`);
  if (found.fingerprint !== expected.fingerprint) throw new JournalError(`${where} was written by another version of experiment '${expected.experiment}' (its systems, grid or seeds changed): start afresh without --resume`);
}
