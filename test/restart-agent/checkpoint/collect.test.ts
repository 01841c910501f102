/**
 * Collection never frees a block that a kept checkpoint or a named snapshot needs, and leaves
 * nothing else behind: after it, the store holds exactly the blocks reachable from the kept
 * checkpoints and the snapshots.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EXAMPLES } from '../../../examples/index.ts';
import { System } from '../../../restart-agent/index.ts';
import { collect, listCheckpoints, readCheckpoint, snapshotRoots } from '../../../restart-agent/checkpoint/index.ts';
import { saveSnapshot } from '../../../restart-agent/snapshot/index.ts';
import { isDamaged, MemoryDisk, openStore, walkBlocks, type Store } from '../../../store/index.ts';
import { assertProperty } from '../../support/seed.ts';

async function allBlocks(store: Store): Promise<Set<string>> {
  const out = new Set<string>();
  for await (const b of store.blocks.scan()) if (!isDamaged(b)) out.add(b.hash);
  return out;
}

async function needed(store: Store): Promise<Set<string>> {
  const roots = [...(await listCheckpoints(store)).map((c) => c.root), ...(await snapshotRoots(store))];
  return walkBlocks((h) => store.blocks.get(h), roots);
}

describe('checkpoint collection', () => {
  it('frees exactly the blocks nothing kept needs, never one that is needed', async () => {
    await assertProperty(
      fc.asyncProperty(
        fc.constantFrom('counter', 'bank', 'flood', 'ping-pong'),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.record({ cranks: fc.integer({ min: 0, max: 15 }), snapshot: fc.boolean() }), { minLength: 1, maxLength: 6 }),
        async (name, keep, rounds) => {
          const system = await System.create({ spec: EXAMPLES[name]!, store: { backend: 'memory', disk: new MemoryDisk() }, model: 'checkpoint', checkpointEvery: 0, checkpointKeep: keep });
          let snapshots = 0;
          for (const round of rounds) {
            await system.run(round.cranks);
            await system.checkpoint();
            if (round.snapshot) await saveSnapshot(system.store, `s${snapshots++}`, { principal: 'tester', now: () => 0 });
            const kept = await listCheckpoints(system.store);
            expect(kept.length).toBeLessThanOrEqual(keep);
            for (const c of kept) await readCheckpoint(system.store, c);
            expect(await allBlocks(system.store)).toEqual(await needed(system.store));
          }
          await system.close();
        },
      ),
      { numRuns: 40, replay: 'npx vitest run test/restart-agent/checkpoint/collect.test.ts' },
    );
  });

  it('after a write cut short, a boot sweeps the orphans it left', async () => {
    const disk = new MemoryDisk();
    const system = await System.create({ spec: EXAMPLES.flood!, store: { backend: 'memory', disk }, model: 'checkpoint', checkpointEvery: 0 });
    await system.run(20);
    await system.checkpoint({ interruptAfterBatches: 1 });
    await system.restart();
    expect(await allBlocks(system.store)).toEqual(await needed(system.store));
    await system.close();
  });

  it('frees nothing when a needed block cannot be read', async () => {
    const disk = new MemoryDisk();
    const system = await System.create({ spec: EXAMPLES.counter!, store: { backend: 'memory', disk }, model: 'checkpoint', checkpointEvery: 0, checkpointKeep: 5 });
    await system.run(3);
    await system.checkpoint();
    const [newest] = await listCheckpoints(system.store);
    const tx = system.store.begin();
    tx.deleteBlock(newest!.root);
    await system.store.commit(tx, { sync: true });
    await system.close();
    // A store opened afresh knows no block's references yet: the walk reads them, and finds one missing.
    const store = await openStore({ backend: 'memory', disk, create: false });
    const before = await allBlocks(store);
    const result = await collect(store, { keep: 1 });
    expect(result.skipped).toMatch(/could not be read/);
    expect(await allBlocks(store)).toEqual(before);
    await store.close();
  });
});
