/**
 * cli.start_ms and cli.examples_ms: how long `capsim --help` and `capsim examples` take from
 * process start to exit, beside `node -e 0` started the same way just before — what Node
 * itself costs on this machine under this load. The difference is capsim's own start: loading
 * its code (compiled ahead of time when build/ is fresh, else compiled by tsx) and the
 * packages it imports at start.
 */
import { compiledEntry } from '../bin/compiled.js';
import { projectPath } from '../tools/runtime/project-root.ts';
import type { BenchmarkSpec, Measurement } from './harness.ts';
import { commandMs } from './timed-command.ts';

/** Each measurement times this many starts of each and keeps the median, so one slow start does not decide it. */
const STARTS = 3;

function medianOf(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

let warned = false;

function measureStart(command: readonly string[]): Measurement {
  if (!warned && compiledEntry('tools/cli/main.ts') === null) {
    warned = true;
    process.stderr.write('bench: build/ is missing or older than a source, so capsim starts through tsx here: `npm run build` measures the start a user gets\n');
  }
  const baseline: number[] = [];
  const value: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    baseline.push(commandMs(['-e', '0']));
    value.push(commandMs([projectPath('bin', 'capsim.js'), ...command]));
  }
  return { value: medianOf(value), baseline: medianOf(baseline) };
}

export const benchmarks: BenchmarkSpec[] = [
  {
    name: 'cli.start_ms',
    unit: 'ms',
    baselineLabel: 'node -e 0',
    target: '< 300 ms',
    measure: () => measureStart(['--help']),
  },
  {
    name: 'cli.examples_ms',
    unit: 'ms',
    baselineLabel: 'node -e 0',
    target: '< 300 ms',
    measure: () => measureStart(['examples']),
  },
];
