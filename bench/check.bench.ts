/**
 * Fault-and-restart cycles per second of the crash explorer: a 10-process system (five counter
 * pairs) runs a few cranks, loses power, restarts and has every invariant judged — the whole
 * cycle `capsim check` repeats. On memory-level (target >= 500/s on one core) and classic-level.
 */
import type { Program, SystemSpec } from '../kernel/index.ts';
import { EXAMPLES } from '../examples/index.ts';
import { classicDisk } from '../tools/check/disk.ts';
import { runSchedule, type ExecuteOptions } from '../tools/check/execute.ts';
import type { Schedule, Step } from '../tools/check/schedule.ts';
import type { BenchmarkSpec } from './harness.ts';

const counter = EXAMPLES['counter'] as SystemSpec;

/** The counter example's counter, finding its storage under the name its first argument gives (labels are unique per system). */
const namedCounter: Program<{ count: number }> = {
  init(ctx, args) {
    return { count: (ctx.read(ctx.lookup(args[0] as string) as number) as { count: number }).count };
  },
  receive(ctx, state, message) {
    const count = state.count + 1;
    ctx.write(ctx.lookup(ctx.self.args[0] as string) as number, { count });
    if (message.reply !== null) ctx.reply(message.reply, count);
    return { count };
  },
};

/** Five counter pairs side by side: ten processes, each client ticking its own counter. */
export function tenProcesses(): SystemSpec {
  const copies = [0, 1, 2, 3, 4];
  const label = (i: number, name: string): string => `${name}-${i}`;
  return {
    name: 'ten-counters',
    description: 'five counter pairs: ten processes',
    programs: { counter: namedCounter, 'counter-client': counter.programs['counter-client'] as Program },
    processes: copies.flatMap((i) => [
      { name: label(i, 'counter'), program: 'counter', args: [label(i, 'count')] },
      { name: label(i, 'client'), program: 'counter-client' },
    ]),
    endpoints: copies.flatMap((i) => [
      { name: label(i, 'requests'), owner: label(i, 'counter') },
      { name: label(i, 'ticks'), owner: label(i, 'client') },
    ]),
    storage: copies.map((i) => ({ name: label(i, 'count'), owner: label(i, 'counter'), data: { count: 0 } })),
    caps: copies.map((i) => ({ holder: label(i, 'client'), name: 'counter', target: label(i, 'requests'), rights: 'rw' })),
    input: (n) => (n < 100_000 ? { to: label(n % 5, 'ticks'), payload: 'tick' } : null),
  };
}

const SPEC = tenProcesses();
const CYCLES = 50;

function schedule(): Schedule {
  const steps: Step[] = Array.from({ length: CYCLES }, (_, i) => ({ cranks: 4, fault: { kind: 'power', keepBatches: i % 3 } }));
  return { seed: 1, schedule: 'fifo', syncEvery: 3, inputs: null, steps, repeat: false };
}

async function cyclesPerSecond(options: ExecuteOptions, runs: number): Promise<number> {
  let cycles = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) {
    const outcome = await runSchedule(SPEC, schedule(), options);
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
    name: 'check.cycles_per_s_classic',
    unit: 'cycles/s',
    runs: 3,
    measure: async () => ({ value: await cyclesPerSecond({ disk: classicDisk }, 1), baseline: null }),
  },
];
