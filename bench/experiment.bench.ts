/**
 * experiment.speedup_2_workers: one sweep on a pool of two worker threads against the same
 * sweep on a pool of one (both start their threads and load the project, so the ratio is the
 * speedup a user sees). The value and baseline are trials per second; the ratio is the speedup.
 */
import { fileURLToPath } from 'node:url';
import { loadExperiment } from '../tools/experiment/load.ts';
import { runOnPool } from '../tools/parallel/pool.ts';
import { trialsOf } from '../tools/experiment/trials.ts';
import { TRIAL_WORKER } from '../tools/experiment/worker.ts';
import type { BenchmarkSpec } from './harness.ts';

const FILE = fileURLToPath(new URL('./fixtures/experiment-sweep.ts', import.meta.url));

async function trialsPerSecond(workers: number): Promise<number> {
  const trials = trialsOf((await loadExperiment(FILE)).definition);
  let rows = 0;
  const start = process.hrtime.bigint();
  await runOnPool(
    trials.map((t) => ({ file: FILE, index: t.index, replay: '' })),
    { workers, worker: TRIAL_WORKER, onResult: () => void rows++ },
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (rows !== trials.length) throw new Error(`${rows} of ${trials.length} trials came back`);
  return trials.length / seconds;
}

export const benchmarks: BenchmarkSpec[] = [
  {
    name: 'experiment.speedup_2_workers',
    unit: 'trials/s',
    baselineLabel: 'the same sweep on 1 worker',
    target: 'ratio >= 1.7 on 2 cores',
    runs: 3,
    measure: async () => {
      const baseline = await trialsPerSecond(1);
      const value = await trialsPerSecond(2);
      return { value, baseline };
    },
  },
];
