/**
 * experiment.speedup_2_workers: a shipped experiment (experiments/checkpoint-interval.ts, 35
 * trials, the one the README plots first) run by `capsim experiment run --workers 2` against
 * the same command with `--workers 1`, each a fresh process, start to exit — what a user who
 * adds `--workers 2` sees. With one worker the trials run in the command's own thread; with two,
 * on two pool threads, each starting and loading capsim. The value and baseline are trials per
 * second; the ratio is the speedup.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExperiment } from '../tools/experiment/load.ts';
import { trialsOf } from '../tools/experiment/trials.ts';
import { projectPath } from '../tools/runtime/project-root.ts';
import type { BenchmarkSpec } from './harness.ts';
import { commandMs } from './timed-command.ts';

const FILE = projectPath('experiments', 'checkpoint-interval.ts');

async function trialsPerSecond(workers: number): Promise<number> {
  const trials = trialsOf((await loadExperiment(FILE)).definition).length;
  const out = mkdtempSync(join(tmpdir(), 'capsim-bench-experiment-'));
  try {
    const ms = commandMs([projectPath('bin', 'capsim.js'), 'experiment', 'run', FILE, '--workers', String(workers), '--out', out]);
    return trials / (ms / 1000);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export const benchmarks: BenchmarkSpec[] = [
  {
    name: 'experiment.speedup_2_workers',
    unit: 'trials/s',
    baselineLabel: 'the same command with --workers 1',
    target: 'ratio >= 1.7 on 2 cores',
    runs: 3,
    measure: async () => {
      const baseline = await trialsPerSecond(1);
      const value = await trialsPerSecond(2);
      return { value, baseline };
    },
  },
];
