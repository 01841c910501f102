/**
 * Store benchmarks, each beside raw classic-level doing the same work on the same bytes in the
 * same process: commits per second (with and without sync, and with group commit of 10 and 100
 * cranks per batch), and registrations read per second on a full scan. The raw side writes the
 * very ops the store encoded (taken from the same transactions), so the ratio is the store's own
 * cost: encoding, checksums, validation and the commit chain.
 *
 * Run alone: node bin/run-ts.js bench/store.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AbstractBatchOperation } from 'abstract-level';
import { ClassicLevel } from 'classic-level';
import type { BenchmarkSpec, Measurement } from './harness.ts';
import { openStore, type Registration, type Store } from '../store/index.ts';
import type { BatchOp } from '../store/keepers/kind.ts';
import { registrations as registrationKind } from '../store/keepers/index.ts';
import { takeOps } from '../store/transaction.ts';

const NOSYNC_CRANKS = 20_000;
const SYNC_CRANKS = 400;
const GROUP_CRANKS = 40_000;
const WARMUP_CRANKS = 1_000;
const SCAN_RECORDS = 20_000;
const TARGET = '>= 0.8 of baseline';

type Raw = ClassicLevel<string, Uint8Array>;
type RawOps = AbstractBatchOperation<Raw, string, Uint8Array>[];

/** BatchOp is abstract-level's put/del shape; the cast only bridges the two type declarations. */
function rawOps(ops: BatchOp[]): RawOps {
  return ops as unknown as RawOps;
}

/** One crank's writes, as the restart agent makes them: a registration (its references carry their derivation edges) and a storage object. */
function crank(store: Store, n: number) {
  const tx = store.begin();
  tx.putRegistration(registration(n % 1000));
  tx.putStorage({ id: 100_000 + (n % 1000), version: n, data: { counter: n, note: 'balance update' } });
  return tx;
}

function registration(id: number): Registration {
  return {
    id,
    program: 'bank-account',
    args: ['alice', 100, { currency: 'EUR' }],
    caps: {
      ledger: { target: 5, kind: 'endpoint', rights: 3, badge: id, capId: 10_000 + id, parent: 7 },
      log: { target: 6, kind: 'endpoint', rights: 2, badge: 0, capId: 20_000 + id, parent: null },
      self: { target: id, kind: 'storage', rights: 3, badge: 0, capId: 30_000 + id, parent: 10_000 + id },
    },
    policy: { mode: 'permanent', intensity: 3, periodCranks: 1000 },
    generation: 1,
  };
}

interface Bench {
  store: Store;
  raw: Raw;
  cleanup(): Promise<void>;
}

async function setUp(groupCommit = 1): Promise<Bench> {
  const root = mkdtempSync(join(tmpdir(), 'capsim-bench-store-'));
  const store = await openStore({ path: join(root, 'store'), groupCommit });
  const raw = new ClassicLevel<string, Uint8Array>(join(root, 'raw'), { keyEncoding: 'utf8', valueEncoding: 'view' });
  await raw.open();
  return {
    store,
    raw,
    async cleanup() {
      await store.close();
      await raw.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The encoded ops of cranks [from, from+count), grouped `perBatch` to a batch: the raw side's input. */
function encodedBatches(store: Store, from: number, count: number, perBatch: number): BatchOp[][] {
  const batches: BatchOp[][] = [];
  for (let i = 0; i < count; i += perBatch) {
    const batch: BatchOp[] = [];
    for (let j = i; j < Math.min(i + perBatch, count); j++) batch.push(...takeOps(crank(store, from + j)));
    batches.push(batch);
  }
  return batches;
}

/** Seconds to commit cranks [from, from+count) through the store. */
async function storeCommits(store: Store, from: number, count: number, sync: boolean): Promise<number> {
  const started = process.hrtime.bigint();
  for (let n = from; n < from + count; n++) await store.commit(crank(store, n), { sync });
  await store.flush({ sync });
  return seconds(started);
}

/** Seconds to write pre-encoded batches raw. */
async function rawCommits(raw: Raw, batches: BatchOp[][], sync: boolean): Promise<number> {
  const options = { sync } as never;
  const started = process.hrtime.bigint();
  for (const batch of batches) await raw.batch(rawOps(batch), options);
  return seconds(started);
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Rounds alternate store and raw, so that drift in the machine (disk, other load) hits both alike. */
const ROUNDS = 4;

function commitBench(name: string, baselineLabel: string, cranks: number, sync: boolean, perBatch: number): BenchmarkSpec {
  return {
    name,
    unit: 'commits/s',
    baselineLabel,
    target: TARGET,
    async measure(): Promise<Measurement> {
      const bench = await setUp(perBatch);
      try {
        const warm = Math.min(WARMUP_CRANKS, cranks);
        await storeCommits(bench.store, 0, warm, sync);
        await rawCommits(bench.raw, encodedBatches(bench.store, 0, warm, perBatch), sync);
        const perRound = Math.ceil(cranks / ROUNDS);
        let storeSeconds = 0;
        let rawSeconds = 0;
        for (let round = 0; round < ROUNDS; round++) {
          const from = warm + round * perRound;
          const batches = encodedBatches(bench.store, from, perRound, perBatch);
          if (round % 2 === 0) {
            rawSeconds += await rawCommits(bench.raw, batches, sync);
            storeSeconds += await storeCommits(bench.store, from, perRound, sync);
          } else {
            storeSeconds += await storeCommits(bench.store, from, perRound, sync);
            rawSeconds += await rawCommits(bench.raw, batches, sync);
          }
        }
        return { value: (perRound * ROUNDS) / storeSeconds, baseline: (perRound * ROUNDS) / rawSeconds };
      } finally {
        await bench.cleanup();
      }
    },
  };
}

async function measureScan(): Promise<Measurement> {
  const bench = await setUp();
  try {
    for (let i = 0; i < SCAN_RECORDS; i += 1000) {
      const tx = bench.store.begin();
      for (let id = i; id < i + 1000; id++) tx.putRegistration(registration(id));
      const ops = takeOps(tx);
      await bench.raw.batch(rawOps(ops));
      const same = bench.store.begin();
      for (let id = i; id < i + 1000; id++) same.putRegistration(registration(id));
      await bench.store.commit(same, { sync: false });
    }
    const range = registrationKind.range;
    const rawScan = async (): Promise<number> => {
      const started = process.hrtime.bigint();
      let n = 0;
      const iterator = bench.raw.iterator({ gte: range.gte, lt: range.lt });
      for (let chunk = await iterator.nextv(512); chunk.length > 0; chunk = await iterator.nextv(512)) n += chunk.length;
      await iterator.close();
      if (n !== SCAN_RECORDS) throw new Error(`raw scan read ${n}`);
      return n / seconds(started);
    };
    const storeScan = async (): Promise<number> => {
      const started = process.hrtime.bigint();
      let n = 0;
      for await (const r of bench.store.registrations.scan()) if ('id' in r) n++;
      if (n !== SCAN_RECORDS) throw new Error(`store scan read ${n}`);
      return n / seconds(started);
    };
    await rawScan();
    await storeScan();
    const baseline = await rawScan();
    const value = await storeScan();
    return { value, baseline };
  } finally {
    await bench.cleanup();
  }
}

export const benchmarks: BenchmarkSpec[] = [
  commitBench('store.commit_per_s', 'raw classic-level batch, same bytes, no sync', NOSYNC_CRANKS, false, 1),
  commitBench('store.commit_sync_per_s', 'raw classic-level batch, same bytes, sync', SYNC_CRANKS, true, 1),
  commitBench('store.group10_commit_per_s', 'raw classic-level, 10 cranks per batch', GROUP_CRANKS, false, 10),
  commitBench('store.group100_commit_per_s', 'raw classic-level, 100 cranks per batch', GROUP_CRANKS, false, 100),
  { name: 'store.scan_per_s', unit: 'records/s', baselineLabel: 'raw classic-level iterator, same keys', measure: measureScan },
];

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const spec of benchmarks) {
    const m = await spec.measure();
    const ratio = m.baseline === null ? '' : `  ratio ${(m.value / m.baseline).toFixed(2)}`;
    console.log(`${spec.name.padEnd(30)} ${m.value.toFixed(0).padStart(10)} ${spec.unit}  baseline ${m.baseline?.toFixed(0) ?? '-'}${ratio}`);
  }
}
