/**
 * Fault-and-restart cycles per second of the crash explorer: a 10-process system (five counter
 * pairs) runs a few cranks, loses power, restarts and has every invariant judged — the whole
 * cycle `capsim check` repeats. On memory-level (target >= 500/s on one core) and classic-level.
 */
import type { SystemSpec } from '../kernel/index.ts';
import { loadConfined } from './confined.ts';
import { system as tenCounters } from './programs/ten-counters.ts';
import { classicDisk } from '../tools/check/disk.ts';
import { runSchedule, type ExecuteOptions } from '../tools/check/execute.ts';
import type { Schedule, Step } from '../tools/check/schedule.ts';
import type { BenchmarkSpec } from './harness.ts';

/** The system of the benchmark (bench/programs/ten-counters.ts), imported: its programs run unconfined. */
export function tenProcesses(): SystemSpec {
  return tenCounters;
}

const SPEC = tenProcesses();
const CYCLES = 50;

function schedule(): Schedule {
  const steps: Step[] = Array.from({ length: CYCLES }, (_, i) => ({ cranks: 4, fault: { kind: 'power', keepBatches: i % 3 } }));
  return { seed: 1, schedule: 'fifo', syncEvery: 3, inputs: null, steps, repeat: false };
}

async function cyclesPerSecond(options: ExecuteOptions, runs: number, spec: SystemSpec = SPEC): Promise<number> {
  let cycles = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) {
    const outcome = await runSchedule(spec, schedule(), options);
    if (outcome.violations.length > 0) throw new Error(`a violation in the benchmark: ${outcome.violations[0]?.invariant}: ${outcome.violations[0]?.detail}`);
    cycles += outcome.stats.restarts;
  }
  return cycles / (Number(process.hrtime.bigint() - start) / 1e9);
}

export const benchmarks: BenchmarkSpec[] = [
  {
    name: 'check.cycles_per_s',
    unit: 'cycles/s',
    target: '>= 500 on memory-level, one core',
    measure: async () => ({ value: await cyclesPerSecond({}, 10), baseline: null }),
  },
  {
    // The same system loaded confined, as `capsim check bench/programs/ten-counters.ts` runs it.
    name: 'check.cycles_confined_per_s',
    unit: 'cycles/s',
    target: '>= 500 on memory-level, one core',
    measure: async () => ({ value: await cyclesPerSecond({}, 10, await loadConfined('./programs/ten-counters.ts')), baseline: null }),
  },
  {
    name: 'check.cycles_per_s_classic',
    unit: 'cycles/s',
    runs: 3,
    measure: async () => ({ value: await cyclesPerSecond({ disk: classicDisk }, 1), baseline: null }),
  },
];
