/**
 * Replication (venti + ventiprog): copies exactly the blocks the target lacks and the snapshot
 * names, is idempotent, never overwrites a name, and never copies a damaged block.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryDisk, openStore, replicate, walkBlocks, type Store } from '../../store/index.ts';
import { saveSnapshot } from '../../restart-agent/snapshot/index.ts';
import { assertProperty } from '../support/seed.ts';

const clock = () => 0;

async function storeOf(records: number, disk = new MemoryDisk()): Promise<Store> {
  const store = await openStore({ backend: 'memory', disk });
  const tx = store.begin();
  for (let id = 1; id <= records; id++) tx.putStorage({ id, version: 1, data: { n: id, text: `record ${id}` } });
  await store.commit(tx, { sync: true });
  return store;
}

async function change(store: Store, id: number, version: number): Promise<void> {
  const tx = store.begin();
  tx.putStorage({ id, version, data: { n: -id, text: 'changed' } });
  await store.commit(tx, { sync: true });
}

async function blockSet(store: Store): Promise<Set<string>> {
  const out = new Set<string>();
  for await (const b of store.blocks.scan()) if (!('damaged' in b)) out.add(b.hash);
  return out;
}

/** Every block reachable from every snapshot root of `store`. */
async function reachable(store: Store): Promise<Set<string>> {
  const roots: string[] = [];
  for await (const s of store.snapshots.scan()) if (!('damaged' in s)) roots.push((s.record as { root: string }).root);
  return walkBlocks((h) => store.blocks.get(h), roots);
}

describe('replicate', () => {
  it('copies exactly the missing blocks and the names; a second run copies nothing', async () => {
    const from = await storeOf(800);
    await saveSnapshot(from, 'a', { principal: 'alice', now: clock });
    await change(from, 400, 2);
    await saveSnapshot(from, 'b', { principal: 'alice', now: clock });
    const to = await openStore({ backend: 'memory', disk: new MemoryDisk() });

    const first = await replicate(from, to);
    expect(first.snapshotsCopied).toEqual(['a', 'b']);
    expect(first.blocksCopied).toBe((await blockSet(from)).size);
    expect(await blockSet(to)).toEqual(await blockSet(from));
    expect(await reachable(to)).toEqual(await reachable(from));
    for (const name of ['a', 'b']) expect(await to.snapshots.get(name)).toEqual(await from.snapshots.get(name));

    const second = await replicate(from, to);
    expect(second).toMatchObject({ blocksCopied: 0, bytesCopied: 0, snapshotsCopied: [], skipped: ['a', 'b'], conflicts: [], damaged: [] });

    // An incremental save replicates as the few blocks it wrote.
    await change(from, 10, 3);
    const c = await saveSnapshot(from, 'c', { principal: 'alice', now: clock });
    const third = await replicate(from, to);
    expect(third.snapshotsCopied).toEqual(['c']);
    expect(third.blocksCopied).toBe(c.info.blocksWritten);
    expect(third.blocksCopied).toBeLessThanOrEqual(3);
    await Promise.all([from.close(), to.close()]);
  });

  it('property: after any sequence of changes and saves, replication leaves the target with exactly the source snapshots, and a rerun copies 0', async () => {
    await assertProperty(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 1, max: 300 }), fc.boolean()), { minLength: 1, maxLength: 6 }), async (steps) => {
        const from = await storeOf(300);
        const to = await openStore({ backend: 'memory', disk: new MemoryDisk() });
        let version = 2;
        for (const [i, [id, replicateNow]] of steps.entries()) {
          await change(from, id, version++);
          await saveSnapshot(from, `s${i}`, { principal: 'p', now: clock });
          if (replicateNow) await replicate(from, to);
        }
        await replicate(from, to);
        expect(await reachable(to)).toEqual(await reachable(from));
        expect((await replicate(from, to)).blocksCopied).toBe(0);
        await Promise.all([from.close(), to.close()]);
      }),
      { numRuns: 10, replay: 'npx vitest run test/store/replicate.test.ts' },
    );
  });

  it('reports a name the target holds with another root as a conflict and leaves it', async () => {
    const from = await storeOf(50);
    const to = await storeOf(60);
    await saveSnapshot(from, 'same', { principal: 'alice', now: clock });
    await saveSnapshot(to, 'same', { principal: 'alice', now: clock });
    const targetRecord = await to.snapshots.get('same');
    const report = await replicate(from, to);
    expect(report.conflicts).toHaveLength(1);
    expect(report.conflicts[0]?.name).toBe('same');
    expect(report.blocksCopied).toBe(0);
    expect(await to.snapshots.get('same')).toEqual(targetRecord);
    await Promise.all([from.close(), to.close()]);
  });

  it('reports a damaged source block by name, copies nothing of its snapshot, and still copies the others', async () => {
    const disk = new MemoryDisk();
    const from = await storeOf(200, disk);
    const good = await saveSnapshot(from, 'good', { principal: 'alice', now: clock });
    await change(from, 7, 2);
    const bad = await saveSnapshot(from, 'bad', { principal: 'alice', now: clock });
    // Damage one block only 'bad' has (its changed chunk): flip a byte of the stored value.
    const goodBlocks = await walkBlocks((h) => from.blocks.get(h), [good.info.root]);
    const badBlocks = await walkBlocks((h) => from.blocks.get(h), [bad.info.root]);
    const victim = [...badBlocks].find((h) => !goodBlocks.has(h) && h !== bad.info.root) as string;
    const [key, value] = (await disk.rawEntries()).find(([k]) => k === `b${victim}`)!;
    const flipped = Uint8Array.from(value);
    flipped[flipped.length - 1]! ^= 0xff;
    await disk.overwrite(key, flipped);

    const to = await openStore({ backend: 'memory', disk: new MemoryDisk() });
    const report = await replicate(from, to);
    expect(report.snapshotsCopied).toEqual(['good']);
    expect(report.damaged).toHaveLength(1);
    expect(report.damaged[0]).toMatchObject({ snapshot: 'bad', record: `block ${victim}` });
    expect(await to.snapshots.has('bad')).toBe(false);
    expect(await to.blocks.has(victim)).toBe(false);
    expect(await to.blocks.has(bad.info.root)).toBe(false);
    await Promise.all([from.close(), to.close()]);
  });
});
