/**
 * Running trials on N worker threads (piscina: a well-kept pool with a bounded queue and clean
 * shutdown), or in this thread when N is 1. Trials are handed out a window at a time, so no
 * more than WINDOW_PER_WORKER × N tasks wait at once, whatever the experiment's size.
 */
import { Piscina } from 'piscina';
import { runTrialTask, type PoolAnswer, type TrialTask } from './worker.ts';
import type { Row } from './rows.ts';

const WINDOW_PER_WORKER = 2;
export const WORKERS_MAX = 256;

export interface RunTasksOptions {
  workers: number;
  /** Called as each row arrives, in completion order. */
  onRow: (row: Row) => void;
  /** Checked before each task is handed out: true stops handing out (the ones in flight finish). */
  stopped?: () => boolean;
}

/** One worker runs in this thread (no thread to start, no second copy of the project loaded); more on a pool. */
export function runTasks(tasks: readonly TrialTask[], opts: RunTasksOptions): Promise<void> {
  return opts.workers <= 1 ? runInline(tasks, opts) : runOnPool(tasks, opts);
}

export async function runInline(tasks: readonly TrialTask[], opts: RunTasksOptions): Promise<void> {
  for (const task of tasks) {
    if (opts.stopped?.()) return;
    opts.onRow(await runTrialTask(task));
    // A memory store answers through promises alone; a turn of the event loop lets Ctrl-C in.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export async function runOnPool(tasks: readonly TrialTask[], opts: RunTasksOptions): Promise<void> {
  const pool = new Piscina<TrialTask, PoolAnswer>({
    filename: new URL('./worker-entry.mjs', import.meta.url).href,
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
          if ('row' in answer) opts.onRow(answer.row);
          else failure ??= new TrialFailed(answer.userError);
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

/** A trial that failed, on a worker thread, for a reason its user can act on. */
export class TrialFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrialFailed';
  }
}
