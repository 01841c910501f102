/**
 * What a pool thread (or this thread, for one worker) does for one trial: load the experiment
 * (once per thread), find the trial by its index, run it, and send back its row — plain data,
 * so it crosses threads as is.
 */
import type { PoolWorker } from '../parallel/pool.ts';
import { answering } from '../parallel/worker-answer.ts';
import { loadExperiment } from './load.ts';
import { rowOf, type Row } from './rows.ts';
import { runTrial } from './run-trial.ts';
import { trialsOf, type Trial } from './trials.ts';

export interface TrialTask {
  /** Absolute path of the experiment file. */
  file: string;
  index: number;
  replay: string;
}

const trialLists = new Map<string, Trial[]>();

export async function runTrialTask(task: TrialTask): Promise<Row> {
  const loaded = await loadExperiment(task.file);
  let trials = trialLists.get(task.file);
  if (trials === undefined) trialLists.set(task.file, (trials = trialsOf(loaded.definition)));
  const trial = trials[task.index];
  if (trial === undefined) throw new RangeError(`trial ${task.index} is not in ${task.file}`);
  return rowOf(loaded.definition, trial, await runTrial(loaded, trial), task.replay);
}

/** A pool thread's handler (tools/parallel/): the row, or a user's error as its message. */
export const runTrialTaskOnPool = answering(runTrialTask);

/** What a pool thread loads to run trials. */
export const TRIAL_WORKER: PoolWorker = { module: 'tools/experiment/worker.ts', handler: 'runTrialTaskOnPool' };
