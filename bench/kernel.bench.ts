/**
 * Kernel benchmarks: IPC throughput beside a bare JavaScript dispatch loop, and the memory a
 * capability slot and an idle process cost.
 */
import { Kernel, type Program, type ProgramTable } from '../kernel/index.ts';
import { loadConfined } from './confined.ts';
import { system as relayModule } from './programs/relay.ts';
import type { BenchmarkSpec, Measurement } from './harness.ts';
import { inOwnProcess } from './own-process.ts';
import { heapUsedAfterGc } from './heap.ts';

const ONEWAY_DELIVERIES = 1_000_000;
const ROUND_TRIPS = 300_000;
const PROCESSES = 100_000;
const CAPS_PER_PROCESS = 10;

const client: Program<number> = {
  init: () => 0,
  receive(ctx, state, message) {
    const left = message.payload as number;
    if (left > 0) ctx.call(1, left - 1);
    return state + 1;
  },
};

const server: Program<number> = {
  init: () => 0,
  receive(ctx, state, message) {
    if (message.reply !== null) ctx.reply(message.reply, message.payload);
    return state + 1;
  },
};

/** The relay and idle programs are the module's (programs/relay.ts), here imported: unconfined. */
const programs: ProgramTable = { ...relayModule.programs, client, server };

function onewayKernel(table: ProgramTable = programs, trace: 'off' | 'hash' = 'off'): { kernel: Kernel; first: number } {
  const kernel = new Kernel({ programs: table, trace });
  const a = kernel.spawn('relay');
  const b = kernel.spawn('relay');
  const ea = kernel.createEndpoint(a, { slot: 0 });
  const eb = kernel.createEndpoint(b, { slot: 0 });
  kernel.grant(a, ea.slot, b, { slot: 1 });
  kernel.grant(b, eb.slot, a, { slot: 1 });
  kernel.startAll();
  return { kernel, first: ea.id };
}

function measureOneway(table: ProgramTable = programs, trace: 'off' | 'hash' = 'off'): number {
  const { kernel, first } = onewayKernel(table, trace);
  kernel.inject(first, ONEWAY_DELIVERIES - 1);
  const start = process.hrtime.bigint();
  const ran = kernel.run(ONEWAY_DELIVERIES);
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  if (ran !== ONEWAY_DELIVERIES) throw new Error(`expected ${ONEWAY_DELIVERIES} deliveries, ran ${ran}`);
  return ran / elapsed;
}

/**
 * The baseline: only the dispatch a kernel must do at the least — a queue, a lookup of the
 * receiver, a handler call that enqueues the next message — with no checks and no isolation.
 */
function measureBareLoop(): number {
  type Msg = { to: number; payload: number };
  const handlers = new Map<number, (state: number, m: Msg, out: Msg[]) => number>();
  const states = new Map<number, number>([
    [1, 0],
    [2, 0],
  ]);
  const forward = (state: number, m: Msg, out: Msg[]): number => {
    if (m.payload > 0) out.push({ to: m.to === 1 ? 2 : 1, payload: m.payload - 1 });
    return state + 1;
  };
  handlers.set(1, forward);
  handlers.set(2, forward);
  const queue: Msg[] = [{ to: 1, payload: ONEWAY_DELIVERIES - 1 }];
  let head = 0;
  let delivered = 0;
  const start = process.hrtime.bigint();
  while (head < queue.length) {
    const m = queue[head++] as Msg;
    const handler = handlers.get(m.to) as (state: number, m: Msg, out: Msg[]) => number;
    states.set(m.to, handler(states.get(m.to) as number, m, queue));
    delivered++;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  if (delivered !== ONEWAY_DELIVERIES) throw new Error('bare loop miscounted');
  return delivered / elapsed;
}

/** ipc.oneway_confined_per_s's measurement, made in the row's own process (own-process.ts). */
export async function measureConfinedOneway(): Promise<Measurement> {
  const confined = await loadConfined('./programs/relay.ts');
  return { value: measureOneway(confined.programs), baseline: measureBareLoop() };
}

function measureCallReply(): number {
  const kernel = new Kernel({ programs, trace: 'off' });
  const c = kernel.spawn('client');
  const s = kernel.spawn('server');
  const kick = kernel.createEndpoint(c, { slot: 0 });
  const service = kernel.createEndpoint(s, { slot: 0 });
  kernel.grant(s, service.slot, c, { slot: 1 });
  kernel.startAll();
  kernel.inject(kick.id, ROUND_TRIPS);
  const start = process.hrtime.bigint();
  const ran = kernel.run();
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  // One kick, then per round trip a call delivery and a reply delivery.
  const trips = (ran - 1) / 2;
  if (trips !== ROUND_TRIPS) throw new Error(`expected ${ROUND_TRIPS} round trips, counted ${trips}`);
  return trips / elapsed;
}

interface MemoryFigures {
  bytesPerProcess: number;
  bytesPerSlot: number;
}

let memoryCache: MemoryFigures | null = null;

/** 100,000 idle processes, then 10 capabilities each: the heap growth of each step, per item. */
function measureMemory(): MemoryFigures {
  const before = heapUsedAfterGc();
  const kernel = new Kernel({ programs, trace: 'off' });
  const pids: number[] = [];
  for (let i = 0; i < PROCESSES; i++) pids.push(kernel.spawn('idle'));
  kernel.startAll();
  const withProcesses = heapUsedAfterGc();
  for (const pid of pids) {
    const { slot } = kernel.createEndpoint(pid);
    for (let c = 1; c < CAPS_PER_PROCESS; c++) kernel.grant(pid, slot, pid);
  }
  const withCaps = heapUsedAfterGc();
  const figures = {
    bytesPerProcess: (withProcesses - before) / PROCESSES,
    // Each process's first capability brings an endpoint object with it; the figure includes that share.
    bytesPerSlot: (withCaps - withProcesses) / (PROCESSES * CAPS_PER_PROCESS),
  };
  if (kernel.objects.size !== PROCESSES * 2) throw new Error('memory benchmark built the wrong system');
  return figures;
}

export const benchmarks: BenchmarkSpec[] = [
  {
    name: 'ipc.oneway_per_s',
    unit: 'deliveries/s',
    baselineLabel: 'bare JS dispatch loop',
    target: '>= 1,000,000/s and >= 0.1 of baseline',
    measure: () => ({ value: measureOneway(), baseline: measureBareLoop() }),
  },
  {
    // What a default run pays for its trace hash (the kernel's default mode is 'hash').
    name: 'ipc.oneway_per_s_hashed',
    unit: 'deliveries/s',
    baselineLabel: 'the same, trace off',
    measure: () => ({ value: measureOneway(programs, 'hash'), baseline: measureOneway(programs, 'off') }),
  },
  {
    // The same relay, written as a user's module and loaded confined (bench/programs/relay.ts).
    name: 'ipc.oneway_confined_per_s',
    unit: 'deliveries/s',
    baselineLabel: 'bare JS dispatch loop',
    target: '>= 0.3 of baseline',
    measure: inOwnProcess(import.meta.url, 'measureConfinedOneway'),
  },
  {
    name: 'ipc.call_reply_per_s',
    unit: 'round trips/s',
    measure: () => ({ value: measureCallReply(), baseline: null }),
  },
  {
    name: 'memory.bytes_per_slot',
    unit: 'bytes',
    target: '<= 200',
    runs: 1,
    measure: () => {
      memoryCache = measureMemory();
      return { value: memoryCache.bytesPerSlot, baseline: null };
    },
  },
  {
    name: 'memory.bytes_per_process',
    unit: 'bytes',
    target: '<= 2048',
    runs: 1,
    measure: () => {
      const figures = memoryCache ?? measureMemory();
      memoryCache = null;
      return { value: figures.bytesPerProcess, baseline: null };
    },
  },
];
