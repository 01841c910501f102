/**
 * Replication benchmarks (venti + ventiprog): a store with two named snapshots of 10,000
 * records is replicated to an empty classic-level store, then again with nothing changed. The
 * second run must copy 0 blocks (it reads only the snapshot roots the target already has); the
 * first run's figures are the baseline, so the table shows what an unchanged run saves.
 *
 * Run alone: node bin/run-ts.js bench/replicate.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchmarkSpec, Measurement } from './harness.ts';
import { saveSnapshot } from '../restart-agent/snapshot/index.ts';
import { openStore, replicate } from '../store/index.ts';

const RECORDS = 10_000;

interface Runs {
  first: { blocks: number; ms: number };
  unchanged: { blocks: number; ms: number };
}

async function replicateTwice(): Promise<Runs> {
  const root = mkdtempSync(join(tmpdir(), 'capsim-bench-replicate-'));
  try {
    const from = await openStore({ path: join(root, 'from') });
    const tx = from.begin();
    for (let id = 1; id <= RECORDS; id++) tx.putStorage({ id, version: 1, data: { balance: id, owner: `account-${id}` } });
    await from.commit(tx, { sync: true });
    await saveSnapshot(from, 'before', { principal: 'bench', now: () => 0 });
    const change = from.begin();
    change.putStorage({ id: RECORDS / 2, version: 2, data: { balance: -1, owner: 'changed' } });
    await from.commit(change, { sync: true });
    await saveSnapshot(from, 'after', { principal: 'bench', now: () => 0 });
    const to = await openStore({ path: join(root, 'to') });
    const timed = async () => {
      const start = process.hrtime.bigint();
      const report = await replicate(from, to);
      return { blocks: report.blocksCopied, ms: Number(process.hrtime.bigint() - start) / 1e6 };
    };
    const first = await timed();
    const unchanged = await timed();
    await Promise.all([from.close(), to.close()]);
    return { first, unchanged };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export const benchmarks: BenchmarkSpec[] = [
  {
    name: 'replicate.unchanged_blocks',
    unit: 'blocks',
    baselineLabel: 'blocks the first (full) replication copied',
    target: '0 blocks',
    runs: 3,
    async measure(): Promise<Measurement> {
      const runs = await replicateTwice();
      return { value: runs.unchanged.blocks, baseline: runs.first.blocks };
    },
  },
  {
    name: 'replicate.unchanged_ms',
    unit: 'ms',
    baselineLabel: 'the first (full) replication',
    runs: 3,
    async measure(): Promise<Measurement> {
      const runs = await replicateTwice();
      return { value: runs.unchanged.ms, baseline: runs.first.ms };
    },
  },
];

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const spec of benchmarks) {
    const m = await spec.measure();
    console.log(`${spec.name.padEnd(30)} ${m.value.toFixed(1).padStart(10)} ${spec.unit}  baseline ${m.baseline?.toFixed(1) ?? '-'}`);
  }
}
