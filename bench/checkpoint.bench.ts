/**
 * Checkpoints of a kernel holding 100,000 storage objects (100 processes holding 1,000 each),
 * written to classic-level: a full checkpoint beside a raw classic-level write of the same
 * blocks, then an incremental one after 1% of the objects (chosen by a seeded generator)
 * changed, whose baseline is the full one (ratio = incremental / full; target <= 0.05). The
 * bytes rows report what each wrote and the deduplication ratio (blocks the incremental
 * checkpoint names / blocks it wrote), and `collect_ms` the collection a System runs after each
 * checkpoint (keeping the last three, after a fourth) beside the incremental checkpoint, and
 * `restore_read_ms` a restart's read of the newest checkpoint beside a raw scan of the store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { Kernel, Rng, type Program } from '../kernel/index.ts';
import { CheckpointWriter, collect, readNewestCheckpoint, writeCheckpoint } from '../restart-agent/index.ts';
import { openStore } from '../store/index.ts';
import type { BenchmarkSpec } from './harness.ts';

const OBJECTS = 100_000;
const HOLDERS = 100;
const CHANGED = OBJECTS / 100;

const idle: Program<null> = { init: () => null, receive: () => null };

function buildKernel(): Kernel {
  const kernel = new Kernel({ programs: { idle }, trace: 'off' });
  const per = OBJECTS / HOLDERS;
  for (let h = 0; h < HOLDERS; h++) {
    const pid = kernel.spawn('idle', [h]);
    for (let i = 0; i < per; i++) kernel.createStorage(pid, { holder: h, index: i, balance: i * 7 });
  }
  kernel.startAll();
  return kernel;
}

/** Writes 1% of the storage objects as a write syscall would: new frozen data, next version. */
function changeOnePercent(kernel: Kernel, round: number): void {
  const rng = new Rng(round + 1);
  const storage = [...kernel.objects.values()].filter((o) => o.kind === 'storage');
  for (let n = 0; n < CHANGED; n++) {
    const o = storage[rng.below(storage.length)];
    if (o === undefined || o.kind !== 'storage') continue;
    o.data = Object.freeze({ round, n });
    o.version++;
  }
}

interface Figures {
  fullMs: number;
  rawMs: number;
  incrementalMs: number;
  fullBytes: number;
  incrementalBytes: number;
  incrementalBlocks: number;
  referencedBlocks: number;
  collectMs: number;
  restoreMs: number;
  rawScanMs: number;
}

const figures: Figures[] = [];

async function rawWriteMs(blocks: { hash: string; bytes: Uint8Array }[]): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'capsim-ckpt-raw-'));
  const db = new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' });
  await db.open();
  const start = process.hrtime.bigint();
  for (let at = 0; at < blocks.length; at += 8192) {
    await db.batch(blocks.slice(at, at + 8192).map((b) => ({ type: 'put' as const, key: `b${b.hash}`, value: b.bytes })));
  }
  await db.batch([{ type: 'put', key: 'c', value: new Uint8Array(1) }], { sync: true });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await db.close();
  await rm(dir, { recursive: true, force: true });
  return ms;
}

async function rawScanStoreMs(path: string): Promise<number> {
  const db = new ClassicLevel<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  const start = process.hrtime.bigint();
  let bytes = 0;
  for await (const [key, value] of db.iterator()) bytes += key.length + value.length;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await db.close();
  if (bytes === 0) throw new Error('raw scan read nothing');
  return ms;
}

async function measureOnce(): Promise<Figures> {
  const kernel = buildKernel();
  const dir = await mkdtemp(join(tmpdir(), 'capsim-ckpt-'));
  let store = await openStore({ backend: 'classic', path: dir, create: true });
  try {
    const writer = new CheckpointWriter();
    let start = process.hrtime.bigint();
    const full = writer.prepare(kernel, { crank: 0, policies: new Map() });
    await writeCheckpoint(store, full);
    const fullMs = Number(process.hrtime.bigint() - start) / 1e6;
    writer.lastSeq = full.manifest.seq;
    const rawMs = await rawWriteMs(full.blocks);
    changeOnePercent(kernel, figures.length);
    start = process.hrtime.bigint();
    const inc = writer.prepare(kernel, { crank: 1, policies: new Map() });
    await writeCheckpoint(store, inc);
    const incrementalMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (inc.manifest.objects !== full.manifest.objects) throw new Error('the incremental checkpoint lost objects');
    writer.lastSeq = inc.manifest.seq;
    // Two more, so that keeping the last three drops the first: the collection a System runs after each checkpoint.
    for (let round = 1; round <= 2; round++) {
      changeOnePercent(kernel, 100 + round);
      const next = writer.prepare(kernel, { crank: 1 + round, policies: new Map() });
      await writeCheckpoint(store, next);
      writer.lastSeq = next.manifest.seq;
    }
    start = process.hrtime.bigint();
    const collected = await collect(store, { keep: 3 });
    const collectMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (collected.dropped.length !== 1 || collected.blocksFreed === 0) throw new Error(`collection dropped ${collected.dropped.length} and freed ${collected.blocksFreed}`);
    // A restart's read of the newest checkpoint, on the store opened afresh, beside a raw scan of it.
    await store.close();
    const rawScanMs = await rawScanStoreMs(dir);
    store = await openStore({ backend: 'classic', path: dir, create: false });
    start = process.hrtime.bigint();
    const { read } = await readNewestCheckpoint(store);
    const restoreMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (read === null || read.state.objects.length !== kernel.objects.size) throw new Error('the checkpoint did not read back whole');
    const f: Figures = {
      fullMs,
      rawMs,
      incrementalMs,
      fullBytes: full.manifest.bytesWritten,
      incrementalBytes: inc.manifest.bytesWritten,
      incrementalBlocks: inc.manifest.blocksWritten,
      referencedBlocks: full.blocks.length,
      collectMs,
      restoreMs,
      rawScanMs,
    };
    figures.push(f);
    return f;
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The runs of checkpoint.full_ms measure everything; the other rows read those runs' figures,
 * as the median over them (the harness's own statistic) so that one noisy run does not decide.
 */
function latest(): Figures {
  if (figures.length === 0) throw new Error('checkpoint.full_ms must run first (use --only checkpoint)');
  const median = (pick: (f: Figures) => number): number => {
    const sorted = figures.map(pick).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] as number;
  };
  const keys = Object.keys(figures[0] as Figures) as (keyof Figures)[];
  return Object.fromEntries(keys.map((k) => [k, median((f) => f[k])])) as unknown as Figures;
}

export const benchmarks: BenchmarkSpec[] = [
  {
    name: 'checkpoint.full_ms',
    unit: 'ms',
    baselineLabel: 'raw classic-level batches of the same blocks',
    runs: 3,
    measure: async () => {
      const f = await measureOnce();
      return { value: f.fullMs, baseline: f.rawMs };
    },
  },
  {
    name: 'checkpoint.incremental_ms',
    unit: 'ms',
    baselineLabel: 'the full checkpoint',
    target: '<= 0.05 of full',
    runs: 1,
    measure: () => {
      const f = latest();
      return { value: f.incrementalMs, baseline: f.fullMs };
    },
  },
  {
    name: 'checkpoint.incremental_bytes',
    unit: 'bytes',
    baselineLabel: 'bytes the full checkpoint wrote',
    runs: 1,
    measure: () => {
      const f = latest();
      return { value: f.incrementalBytes, baseline: f.fullBytes };
    },
  },
  {
    name: 'checkpoint.collect_ms',
    unit: 'ms',
    baselineLabel: 'the incremental checkpoint',
    runs: 1,
    measure: () => {
      const f = latest();
      return { value: f.collectMs, baseline: f.incrementalMs };
    },
  },
  {
    name: 'checkpoint.restore_read_ms',
    unit: 'ms',
    baselineLabel: 'raw classic-level scan of the same store',
    runs: 1,
    measure: () => {
      const f = latest();
      return { value: f.restoreMs, baseline: f.rawScanMs };
    },
  },
  {
    name: 'checkpoint.dedup_ratio',
    unit: 'x',
    baselineLabel: 'blocks named / blocks written by the incremental one',
    runs: 1,
    measure: () => {
      const f = latest();
      return { value: f.referencedBlocks / f.incrementalBlocks, baseline: null };
    },
  },
];
