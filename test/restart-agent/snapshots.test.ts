/**
 * Named snapshots: a name always spawns the same state (I7), a name is never overwritten, and a
 * save after a small change writes only the blocks that changed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../examples/index.ts';
import { System } from '../../restart-agent/index.ts';
import { saveSnapshot, SnapshotError, spawnSnapshot } from '../../restart-agent/snapshot/index.ts';
import { MemoryDisk, openStore, StoreError, walkBlocks, type Store } from '../../store/index.ts';
import { assertProperty } from '../support/seed.ts';

const counter = EXAMPLES.counter!;
const clock = () => 1_700_000_000_000;

/** A counter system run for `cranks` on a memory disk, closed; returns the disk. */
async function ranCounter(cranks: number): Promise<MemoryDisk> {
  const disk = new MemoryDisk();
  const system = await System.create({ spec: counter, store: { backend: 'memory', disk }, seed: 7 });
  await system.run(cranks);
  await system.close();
  return disk;
}

async function spawnHash(archive: Store, name: string, principal = 'alice'): Promise<{ hash: string; idHighWater: number; fingerprint: string }> {
  const spawned = await spawnSnapshot(archive, name, { principal, spec: counter, target: { backend: 'memory', disk: new MemoryDisk() } });
  const out = { hash: spawned.stateHash, idHighWater: spawned.system.store.meta.idHighWater, fingerprint: spawned.system.fingerprint() };
  await spawned.system.close();
  return out;
}

/** A store of `n` storage objects and as many directory entries, written directly: enough records for many chunks. */
async function bigStore(n: number): Promise<Store> {
  const store = await openStore({ backend: 'memory', disk: new MemoryDisk() });
  const tx = store.begin();
  for (let id = 1; id <= n; id++) {
    tx.putStorage({ id, version: 1, data: { balance: id * 3, owner: `account-${id}` } });
    tx.putDirectory(`/accounts/${id}`, id);
  }
  await store.commit(tx, { sync: true });
  return store;
}

describe('named snapshots', () => {
  it('spawning one name twice gives the same state hash, also after the saved system ran on (I7)', async () => {
    const disk = await ranCounter(30);
    const archive = await openStore({ backend: 'memory', disk });
    await saveSnapshot(archive, 'base', { principal: 'alice', now: clock });
    const first = await spawnHash(archive, 'base');
    const second = await spawnHash(archive, 'base');
    expect(second).toEqual(first);
    await archive.close();

    // The saved system runs on; the name still spawns what was saved.
    const { system } = await System.open({ spec: counter, store: { backend: 'memory', disk }, seed: 7 });
    await system.run(25);
    await system.close();
    const reopened = await openStore({ backend: 'memory', disk });
    expect(await spawnHash(reopened, 'base')).toEqual(first);
    await saveSnapshot(reopened, 'later', { principal: 'alice', now: clock });
    expect((await spawnHash(reopened, 'later')).hash).not.toBe(first.hash);
    await reopened.close();
  });

  it('property: for any run length, two spawns of a save agree and never reuse an ID the saved store issued (I6, I7)', async () => {
    await assertProperty(
      fc.asyncProperty(fc.integer({ min: 0, max: 60 }), async (cranks) => {
        const disk = await ranCounter(cranks);
        const archive = await openStore({ backend: 'memory', disk });
        const issuedBelow = archive.meta.idHighWater;
        await saveSnapshot(archive, 's', { principal: 'alice', now: clock });
        const a = await spawnHash(archive, 's');
        const b = await spawnHash(archive, 's');
        await archive.close();
        expect(b).toEqual(a);
        expect(a.idHighWater).toBeGreaterThan(issuedBelow);
      }),
      { numRuns: 8, replay: 'npx vitest run test/restart-agent/snapshots.test.ts' },
    );
  });

  it('a name, once saved, is never overwritten', async () => {
    const archive = await openStore({ backend: 'memory', disk: await ranCounter(10) });
    const saved = await saveSnapshot(archive, 'base', { principal: 'alice', now: clock });
    const again = await saveSnapshot(archive, 'base', { principal: 'bob', now: clock }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(again).toBeInstanceOf(SnapshotError);
    expect((again as SnapshotError).code).toBe('exists');
    expect((again as SnapshotError).message).toMatch(/snapshot 'base' exists already \(saved by alice at 2023-11-14T22:13:20.000Z\)/);
    expect((await archive.snapshots.get('base')) as { root: string; owner: string }).toMatchObject({ root: saved.info.root, owner: 'alice' });
    await archive.close();
  });

  it('a save after a small change writes only the changed chunk, the records root and the snapshot root', async () => {
    const store = await bigStore(1500);
    const first = await saveSnapshot(store, 'one', { principal: 'alice', now: clock });
    expect(first.info.blocks).toBeGreaterThan(50);
    expect(first.info.blocksWritten).toBe(first.info.blocks);

    const tx = store.begin();
    tx.putStorage({ id: 1234, version: 2, data: { balance: -1, owner: 'account-1234' } });
    await store.commit(tx, { sync: true });
    const second = await saveSnapshot(store, 'two', { principal: 'alice', now: clock });
    expect(second.info.blocks).toBe(first.info.blocks);
    expect(second.info.blocksWritten).toBe(3);
    expect(second.info.root).not.toBe(first.info.root);

    // The same state under a third name writes nothing but the name.
    const third = await saveSnapshot(store, 'three', { principal: 'alice', now: clock });
    expect(third.info.blocksWritten).toBe(0);
    expect(third.info.root).toBe(second.info.root);
    await store.close();
  });

  it('a damaged block stops a spawn with an error naming it, and the target store gets no record', async () => {
    const disk = await ranCounter(10);
    const archive = await openStore({ backend: 'memory', disk });
    const saved = await saveSnapshot(archive, 'base', { principal: 'alice', now: clock });
    const blocks = [...(await walkBlocks((h) => archive.blocks.get(h), [saved.info.root]))];
    const chunk = blocks[blocks.length - 1] as string;
    const [key, value] = (await disk.rawEntries()).find(([k]) => k === `b${chunk}`)!;
    const flipped = Uint8Array.from(value);
    flipped[flipped.length - 2]! ^= 0x01;
    await disk.overwrite(key, flipped);
    const target = new MemoryDisk();
    const failure = await spawnSnapshot(archive, 'base', { principal: 'alice', spec: counter, target: { backend: 'memory', disk: target } }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).record).toBe(`block ${chunk}`);
    const left = await openStore({ backend: 'memory', disk: target });
    expect(await left.registrations.count()).toBe(0);
    expect(await left.directory.count()).toBe(0);
    await left.close();
    await archive.close();
  });

  it('spawn refuses a store that holds a system already, and an unknown name', async () => {
    const archive = await openStore({ backend: 'memory', disk: await ranCounter(5) });
    await saveSnapshot(archive, 'base', { principal: 'alice', now: clock });
    const occupied = await ranCounter(3);
    await expect(spawnSnapshot(archive, 'base', { principal: 'alice', spec: counter, target: { backend: 'memory', disk: occupied } })).rejects.toThrow(/holds \d+ record\(s\) already/);
    await expect(spawnSnapshot(archive, 'nope', { principal: 'alice', spec: counter, target: { backend: 'memory', disk: new MemoryDisk() } })).rejects.toThrow(/no snapshot 'nope'/);
    await archive.close();
  });
});
