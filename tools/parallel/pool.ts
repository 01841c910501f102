/**
 * Running tasks on N worker threads (piscina: a well-kept pool with a bounded queue and clean
 * shutdown), or in this thread when N is 1. Tasks are handed out a window at a time, so no
 * more than WINDOW_PER_WORKER × N wait at once, whatever their number. Results arrive in the
 * order tasks finish; a caller that needs an order sorts them (by the task they answer).
 *
 * A thread loads the module that runs the tasks itself (worker-entry.mjs): compiled ahead of
 * time when the build is fresh, so a thread starts in a fraction of the time tsx takes.
 */
import { pathToFileURL } from 'node:url';
import { projectPath } from '../runtime/project-root.ts';
import type { WorkerAnswer } from './worker-answer.ts';

const WINDOW_PER_WORKER = 2;
export const WORKERS_MAX = 256;

/** What a pool thread runs: a module (its source path from the project root, an entry of bin/compiled.js) and its export, made by `answering`. */
export interface PoolWorker {
  module: string;
  handler: string;
}

export interface RunTasksOptions<T, R> {
  workers: number;
  worker: PoolWorker;
  /** Runs one task in this thread: what one worker does (no thread to start, no second copy of the project loaded). */
  inline: (task: T) => Promise<R>;
  /** Called as each result arrives, in completion order. */
  onResult: (result: R, task: T) => void;
  /** Checked before each task is handed out: true stops handing out (the ones in flight finish). */
  stopped?: () => boolean;
}

export function runTasks<T, R>(tasks: readonly T[], opts: RunTasksOptions<T, R>): Promise<void> {
  return opts.workers <= 1 ? runInline(tasks, opts) : runOnPool(tasks, opts);
}

async function runInline<T, R>(tasks: readonly T[], opts: RunTasksOptions<T, R>): Promise<void> {
  for (const task of tasks) {
    if (opts.stopped?.()) return;
    opts.onResult(await opts.inline(task), task);
    // A memory store answers through promises alone; a turn of the event loop lets Ctrl-C in.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** On `workers` threads, even when that is 1 (the benchmark's baseline starts a thread too). */
async function runOnPool<T, R>(tasks: readonly T[], opts: Omit<RunTasksOptions<T, R>, 'inline'>): Promise<void> {
  // Loaded here: a command that runs inline never pays for it.
  const { Piscina } = await import('piscina');
  const pool = new Piscina<T, WorkerAnswer<R>>({
    filename: pathToFileURL(projectPath('tools', 'parallel', 'worker-entry.mjs')).href,
    workerData: opts.worker,
    minThreads: opts.workers,
    maxThreads: opts.workers,
    maxQueue: opts.workers * WINDOW_PER_WORKER,
  });
  try {
    const window = opts.workers * WINDOW_PER_WORKER;
    const inFlight = new Set<Promise<void>>();
    let failure: unknown = null;
    for (const task of tasks) {
      if (opts.stopped?.() || failure !== null) break;
      const p: Promise<void> = pool.run(task).then(
        (answer) => {
          if ('result' in answer) opts.onResult(answer.result, task);
          else failure ??= new TaskFailed(answer.userError);
        },
        (error: unknown) => {
          failure ??= error;
        },
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      if (inFlight.size >= window) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure !== null) throw failure;
  } finally {
    await pool.destroy();
  }
}

/** A task that failed, on a worker thread, for a reason its user can act on. */
export class TaskFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskFailed';
  }
}
