/**
 * Restart time for 1,000, 10,000 and 100,000 registered processes with 10 named capabilities
 * each, on classic-level, beside a raw full scan of the same store folder (every key and
 * value read as bytes, nothing decoded). Ratio = restart / scan.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { CapSpec, ObjectSpec, Program, ProcessSpec, SystemSpec } from '../kernel/index.ts';
import { System } from '../restart-agent/index.ts';
import { loadConfined } from './confined.ts';
import type { BenchmarkSpec } from './harness.ts';
import { heapUsedAfterGc } from './heap.ts';

const NAMED_CAPS = 10;

const idle: Program<null> = { init: () => null, receive: () => null };

/** N processes, each owning one endpoint and naming the endpoints of the next ten. */
export function wideSystem(n: number): SystemSpec {
  const processes: ProcessSpec[] = [];
  const endpoints: ObjectSpec[] = [];
  const caps: CapSpec[] = [];
  for (let i = 0; i < n; i++) {
    processes.push({ name: `p${i}`, program: 'idle', args: [i] });
    endpoints.push({ name: `e${i}`, owner: `p${i}` });
  }
  for (let i = 0; i < n; i++) {
    for (let c = 1; c < NAMED_CAPS; c++) caps.push({ holder: `p${i}`, name: `peer${c}`, target: `e${(i + c) % n}`, rights: 'rw', badge: c });
  }
  return { name: `wide-${n}`, description: `${n} idle processes with ${NAMED_CAPS} named capabilities each`, programs: { idle }, processes, endpoints, caps };
}

async function rawScanMs(path: string): Promise<{ ms: number; entries: number }> {
  const db = new ClassicLevel<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  const start = process.hrtime.bigint();
  let entries = 0;
  let bytes = 0;
  for await (const [key, value] of db.iterator()) {
    entries++;
    bytes += key.length + value.length;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await db.close();
  if (bytes === 0) throw new Error('raw scan read nothing');
  return { ms, entries };
}

const built = new Map<number, { dir: string; spec: SystemSpec }>();

/**
 * Builds the store once per size. A restart reads the system from the store and needs only the
 * program table from the description, so the wiring (a million capability entries at 100k) is
 * dropped before timing: it would otherwise sit in the heap the restart's GC has to walk.
 */
async function storeWith(n: number): Promise<{ dir: string; spec: SystemSpec }> {
  const cached = built.get(n);
  if (cached) return cached;
  const dir = await mkdtemp(join(tmpdir(), `capsim-restart-${n}-`));
  const full = wideSystem(n);
  const system = await System.create({ spec: full, store: { backend: 'classic', path: join(dir, 'store') }, trace: 'off', verify: false });
  await system.close();
  const spec: SystemSpec = { name: full.name, description: full.description, programs: full.programs, processes: [] };
  built.set(n, { dir, spec });
  process.once('exit', () => void rm(dir, { recursive: true, force: true }));
  return { dir, spec };
}

async function measureRestart(n: number, confined = false): Promise<{ value: number; baseline: number }> {
  const { dir, spec: unconfined } = await storeWith(n);
  // Confined, every restarted process gets its own instance of the programs' module at its init.
  const spec = confined ? { ...unconfined, programs: (await loadConfined('./programs/relay.ts')).programs } : unconfined;
  const path = join(dir, 'store');
  const scan = await rawScanMs(path);
  const start = process.hrtime.bigint();
  const { system, report } = await System.open({ spec, store: { backend: 'classic', path }, trace: 'off', verify: false });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (report.restored.length !== n) throw new Error(`restored ${report.restored.length} of ${n}`);
  if (!confined) heapAfterRestart.set(n, heapUsedAfterGc());
  else confinedHeap = heapUsedAfterGc();
  await system.close();
  return { value: ms, baseline: scan.ms };
}

/** Live heap right after the last restart of each size (the system still live, garbage collected), for the memory row. */
const heapAfterRestart = new Map<number, number>();
let confinedHeap: number | null = null;

function restartBenchmark(n: number, label: string): BenchmarkSpec {
  return {
    name: `restart.${label}_ms`,
    unit: 'ms',
    baselineLabel: 'raw classic-level scan of the same store',
    target: n === 100_000 ? '<= 2x scan, < 3000 ms' : '<= 2x scan',
    runs: n === 100_000 ? 3 : 5,
    measure: () => measureRestart(n),
  };
}

export const benchmarks: BenchmarkSpec[] = [
  restartBenchmark(1_000, '1k'),
  restartBenchmark(10_000, '10k'),
  restartBenchmark(100_000, '100k'),
  {
    name: 'restart.100k_confined_ms',
    unit: 'ms',
    baselineLabel: 'raw classic-level scan of the same store',
    target: '< 3000 ms',
    runs: 3,
    measure: () => measureRestart(100_000, true),
  },
  {
    name: 'restart.100k_confined_heap_bytes_per_process',
    unit: 'bytes',
    runs: 1,
    measure: async () => {
      if (confinedHeap === null) await measureRestart(100_000, true);
      return { value: (confinedHeap as number) / 100_000, baseline: null };
    },
  },
  {
    name: 'restart.100k_heap_bytes_per_process',
    unit: 'bytes',
    runs: 1,
    measure: async () => {
      if (!heapAfterRestart.has(100_000)) await measureRestart(100_000);
      return { value: (heapAfterRestart.get(100_000) as number) / 100_000, baseline: null };
    },
  },
];
