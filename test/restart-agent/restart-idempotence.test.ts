/**
 * I8: a power loss during a restart, then another restart, gives the same system. Boot-level:
 * boot() on a store with faults, pull the power before anything of the boot is committed (also
 * with the inits' changes written but unsynced), reopen the same disk and boot again; compare
 * with an uninterrupted boot of an identical copy of the disk. System-level: the power goes
 * right after a restart, and the next restart yields the same fingerprint.
 */
import { describe, expect, it } from 'vitest';
import type { SystemSpec } from '../../kernel/index.ts';
import { boot, newBook, systemFingerprint, writeChanges } from '../../restart-agent/index.ts';
import { MemoryDisk, openStore, type Store } from '../../store/index.ts';
import { expectInvariantsOk, freshSystem } from './support/harness.ts';
import { bankFiringAt, counter, pingPong } from './support/specs.ts';

const SEED = 31;
const EXAMPLES: [string, SystemSpec][] = [
  ['counter', counter],
  ['ping-pong', pingPong],
  ['bank', bankFiringAt(6)],
];

/** A disk holding `spec` after `k` cranks and a power loss. */
async function diskAfter(spec: SystemSpec, k: number, syncEvery: number): Promise<MemoryDisk> {
  const { system, disk } = await freshSystem(spec, { seed: SEED, syncEvery });
  await system.run(k);
  await system.powerLoss({ keepBatches: 1 });
  return disk;
}

async function copyOf(disk: MemoryDisk): Promise<MemoryDisk> {
  const copy = new MemoryDisk();
  for (const entry of await disk.rawEntries()) await copy.overwrite(entry[0], entry[1]);
  return copy;
}

function open(disk: MemoryDisk): Promise<Store> {
  return openStore({ backend: 'memory', disk, create: false, faults: true });
}

async function bootOnce(spec: SystemSpec, store: Store) {
  const result = await boot(store, { programs: spec.programs, seed: SEED });
  return { result, fingerprint: systemFingerprint(result.kernel, result.firstFreshId) };
}

function faults(store: Store) {
  if (store.faults === null) throw new Error('store opened without faults');
  return store.faults;
}

describe.each(EXAMPLES)('%s: power loss during a restart, then a restart (I8)', (name, spec) => {
  it.each([
    [0, 1],
    [7, 1],
    [20, 3],
    [41, 4],
  ])('after %i cranks (syncEvery %i): same fingerprint as an uninterrupted boot, whether the inits’ commit was lost or never begun', async (k, syncEvery) => {
    const disk = await diskAfter(spec, k, syncEvery);
    const reference = await copyOf(disk);
    const referenceStore = await open(reference);
    const uninterrupted = await bootOnce(spec, referenceStore);
    await referenceStore.close();

    // Power lost before the boot committed anything.
    let store = await open(disk);
    const first = await bootOnce(spec, store);
    expect(first.fingerprint, `${name} k ${k}`).toBe(uninterrupted.fingerprint);
    faults(store).powerLoss();

    // Power lost with the inits' changes written but not synced.
    store = await open(disk);
    const second = await bootOnce(spec, store);
    expect(second.fingerprint, `${name} k ${k}: boot after a power loss during boot`).toBe(uninterrupted.fingerprint);
    const tx = store.begin();
    writeChanges(second.result.kernel, second.result.kernel.takeChanges(), newBook(), tx, () => second.result.allocator.next());
    await store.commit(tx, { sync: false });
    faults(store).powerLoss({ keepBatches: 0 });

    store = await open(disk);
    const third = await bootOnce(spec, store);
    expect(third.fingerprint, `${name} k ${k}: boot after a power loss mid-commit of a boot`).toBe(uninterrupted.fingerprint);
    // IDs are never reused, also by boots that were interrupted.
    expect(third.result.firstFreshId).toBeGreaterThan(second.result.firstFreshId);
    expect(second.result.firstFreshId).toBeGreaterThan(first.result.firstFreshId);
    await store.close();
  });

  it('System: the power goes right after a restart; the next restart gives the same system', async () => {
    for (const k of [0, 3, 12, 30]) {
      const { system } = await freshSystem(spec, { seed: SEED, syncEvery: 3 });
      await system.run(k);
      await system.powerLoss({ keepBatches: 1 });
      const r1 = await system.restart();
      expectInvariantsOk(r1, `${name} k ${k}: first restart`);
      const fingerprint = system.fingerprint();
      await system.powerLoss();
      const r2 = await system.restart();
      expectInvariantsOk(r2, `${name} k ${k}: second restart`);
      expect(system.fingerprint(), `${name} k ${k}`).toBe(fingerprint);
      expect(r2.restored).toEqual(r1.restored);
      await system.close();
    }
  });
});

describe('the fingerprint can tell systems apart', () => {
  it('differs for the counter after 10 and after 20 cranks, and for two examples', async () => {
    const prints = new Set<string>();
    for (const [spec, k] of [
      [counter, 10],
      [counter, 20],
      [pingPong, 10],
    ] as [SystemSpec, number][]) {
      const store = await open(await diskAfter(spec, k, 1));
      prints.add((await bootOnce(spec, store)).fingerprint);
      await store.close();
    }
    expect(prints.size).toBe(3);
  });
});
