/**
 * Fault-and-restart cycles per second of the crash explorer: a 10-process system (five counter
 * pairs, and five clients outside the machine calling the counters) runs a few cranks, loses
 * power, restarts and has every invariant judged, the clients' history included (the durable
 * checker) — the whole cycle `capsim check` repeats. On memory-level (target >= 500/s on one
 * core) and classic-level.
 *
 * And the linearizability checker alone: a 1,000-operation register history of 5 clients,
 * checked, beside replaying the same operations through the model one by one (no search).
 */
import type { SystemSpec } from '../kernel/index.ts';
import { loadConfined } from './confined.ts';
import { system as tenCounters } from './programs/ten-counters.ts';
import { classicDisk } from '../tools/check/disk.ts';
import { runSchedule, type ExecuteOptions } from '../tools/check/execute.ts';
import type { Schedule, Step } from '../tools/check/schedule.ts';
import type { BenchmarkSpec, Measurement } from './harness.ts';
import { inOwnProcess } from './own-process.ts';
import { Rng } from '../kernel/index.ts';
import { operationsOf, type HistoryEntry } from '../restart-agent/index.ts';
import { checkLinearizable, type SequentialModel } from '../tools/testing/index.ts';

/** The system of the benchmark (bench/programs/ten-counters.ts), imported: its programs run unconfined. */
export function tenProcesses(): SystemSpec {
  return tenCounters;
}

const SPEC = tenProcesses();
/** The same system without its clients: the baseline, so the ratio is what clients and their checker cost. */
const WITHOUT_CLIENTS: SystemSpec = { ...SPEC, clients: [], reflects: undefined };
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
    if (spec === SPEC && (outcome.history.length === 0 || (outcome.stats.checked.get('durable') ?? 0) === 0)) throw new Error('the clients made no history, or the durable checker did not run');
    cycles += outcome.stats.restarts;
  }
  return cycles / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** Operations in the register history the linearizability benchmark checks, and its clients. */
export const REGISTER_OPS = 1000;
export const REGISTER_CLIENTS = 5;

const register: SequentialModel<number | null> = {
  init: () => null,
  step: (state, { op, value }) => (op === 'write' ? [value as number, 'ok'] : [state, state]),
};

/**
 * A linearizable history of concurrent clients on one register: at each event a seeded choice
 * makes an idle client invoke a read or a write, or a busy one complete; an operation takes
 * effect when it completes, so every answer is one the register gave.
 */
export function registerHistory(ops: number, clients: number, seed = 7): HistoryEntry[] {
  const rng = new Rng(seed);
  const history: HistoryEntry[] = [];
  const busy = new Map<number, { id: number; op: string; value: number | null }>();
  let value: number | null = null;
  let issued = 0;
  let clock = 0;
  while (issued < ops || busy.size > 0) {
    const c = rng.below(clients);
    const name = `c${c}`;
    const pending = busy.get(c);
    clock++;
    if (pending === undefined) {
      if (issued >= ops) continue;
      const id = ++issued;
      const write = rng.below(2) === 0;
      const op = { id, op: write ? 'write' : 'read', value: write ? id : null };
      busy.set(c, op);
      history.push({ type: 'invoke', id, client: name, op: op.op, value: op.value, crank: clock });
    } else {
      busy.delete(c);
      if (pending.op === 'write') value = pending.value;
      history.push({ type: 'ok', id: pending.id, client: name, value: pending.op === 'write' ? 'ok' : value, crank: clock, heldCranks: 0 });
    }
  }
  return history;
}

function linearizableOpsPerSecond(): { value: number; baseline: number } {
  const history = registerHistory(REGISTER_OPS, REGISTER_CLIENTS);
  let start = process.hrtime.bigint();
  const verdict = checkLinearizable(history, register);
  const checkedS = Number(process.hrtime.bigint() - start) / 1e9;
  if (verdict.verdict !== 'ok') throw new Error(`the register history is linearizable, but the checker said ${verdict.verdict}`);
  start = process.hrtime.bigint();
  let state = register.init();
  for (const o of operationsOf(history)) state = register.step(state, o)[0];
  const replayS = Number(process.hrtime.bigint() - start) / 1e9;
  return { value: REGISTER_OPS / checkedS, baseline: REGISTER_OPS / Math.max(replayS, 1e-9) };
}

/** check.cycles_confined_per_s's measurement, made in the row's own process (own-process.ts). */
export async function measureConfinedCycles(): Promise<Measurement> {
  return { value: await cyclesPerSecond({}, 10, await loadConfined('./programs/ten-counters.ts')), baseline: null };
}

export const benchmarks: BenchmarkSpec[] = [
  {
    name: 'check.cycles_per_s',
    unit: 'cycles/s',
    target: '>= 500 on memory-level, one core',
    baselineLabel: 'the same system without its clients and their checker',
    measure: async () => ({ value: await cyclesPerSecond({}, 10), baseline: await cyclesPerSecond({}, 10, WITHOUT_CLIENTS) }),
  },
  {
    // The same system loaded confined, as `capsim check bench/programs/ten-counters.ts` runs it.
    name: 'check.cycles_confined_per_s',
    unit: 'cycles/s',
    target: '>= 500 on memory-level, one core',
    measure: inOwnProcess(import.meta.url, 'measureConfinedCycles'),
  },
  {
    name: 'check.cycles_per_s_classic',
    unit: 'cycles/s',
    runs: 3,
    measure: async () => ({ value: await cyclesPerSecond({ disk: classicDisk }, 1), baseline: null }),
  },
  {
    name: 'check.linearizable_ops_per_s',
    unit: `ops/s (${REGISTER_OPS}-op register history, ${REGISTER_CLIENTS} clients)`,
    baselineLabel: 'the same operations replayed through the model, no search',
    measure: () => linearizableOpsPerSecond(),
  },
];
