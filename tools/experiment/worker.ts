/**
 * What a pool worker does for one trial: load the experiment (once per worker), find the
 * trial by its index, run it, and send back its row — plain data, so it crosses threads as is.
 */
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

/** capsim's own error kinds: a user's mistake or a user's program's, reported in one line. */
const USER_ERROR_NAMES = new Set(['ExperimentError', 'UsageError', 'CommandFailed', 'StoreError', 'SystemError', 'KernelError', 'KernelUsageError', 'DescriptionError']);

export type PoolAnswer = { row: Row } | { userError: string };

/**
 * What a pool thread answers: the row, or a user's error as its message. An error crossing
 * threads loses its class and name, so the kind is decided here, where it is still known;
 * anything else is thrown on and stays a bug with its stack.
 */
export async function runTrialTaskOnPool(task: TrialTask): Promise<PoolAnswer> {
  try {
    return { row: await runTrialTask(task) };
  } catch (error) {
    if (error instanceof Error && USER_ERROR_NAMES.has(error.name)) return { userError: error.message };
    throw error;
  }
}
