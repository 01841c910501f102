/**
 * A power loss in the middle of the commit stream: with syncEvery 3 or 4 up to three commits
 * sit unsynced, and the power loss keeps any prefix of them (0..all, as a real log would).
 * Every synced commit must be there (I1), every commit whole or absent (I2), and the lost work
 * is reported. Also a commit whose write fails outright, followed by the power loss.
 */
import { describe, expect, it } from 'vitest';
import type { SystemSpec } from '../../kernel/index.ts';
import type { FaultControl } from '../../store/index.ts';
import { StoreError } from '../../store/index.ts';
import type { System } from '../../restart-agent/index.ts';
import { expectInvariantsOk, freshSystem, namedStorage, processOf } from './support/harness.ts';
import { bankFiringAt, counter, pingPong } from './support/specs.ts';

const N = 45;
const SEED = 23;

function faultsOf(system: System): FaultControl {
  const faults = system.store.faults;
  if (faults === null) throw new Error('the memory store was opened without its fault layer');
  return faults;
}

function countOf(system: System): number {
  return (processOf(system, 'counter').state as { count: number }).count;
}

describe.each([
  ['counter', counter],
  ['ping-pong', pingPong],
  ['bank', bankFiringAt(6)],
])('%s: power loss with unsynced commits, every kept prefix', (name, spec) => {
  it.each([3, 4])('syncEvery %i: all invariants hold for every crank count and every keepBatches', async (syncEvery) => {
    let sawUnsynced = 0;
    for (let k = 0; k <= N; k++) {
      // One more than there are: keeping "more than all" keeps all.
      for (let keep = 0; ; keep++) {
        const { system } = await freshSystem(spec, { seed: SEED, syncEvery });
        await system.run(k);
        const unsynced = faultsOf(system).unsyncedBatches;
        expect(unsynced).toBeLessThan(syncEvery);
        const { unsyncedBatches } = await system.powerLoss({ keepBatches: keep });
        expect(unsyncedBatches).toBe(unsynced);
        const report = await system.restart();
        const context = `${name} seed ${SEED} syncEvery ${syncEvery}: ${k} cranks, ${unsynced} unsynced, keepBatches ${keep}`;
        expectInvariantsOk(report, context);
        expect(report.lostCranks, context).toBeGreaterThanOrEqual(0);
        expect(report.keptCommits, context).toBeLessThanOrEqual(Math.min(keep, unsynced));
        if (keep >= unsynced) expect(report.lostCranks, context).toBe(0);
        await system.close();
        if (unsynced > 0) sawUnsynced++;
        if (keep > unsynced) break;
      }
    }
    // The stream must have had commits in flight, or this tested nothing beyond the boundaries.
    if (name !== 'ping-pong') expect(sawUnsynced).toBeGreaterThan(N);
  });
});

describe('counter: what survives lies between the last sync and the power loss', () => {
  it.each([3, 4])('syncEvery %i: last synced count <= restored count <= count before, and keeping all loses nothing', async (syncEvery) => {
    let between = 0;
    for (let k = 0; k <= N; k++) {
      for (let keep = 0; keep < syncEvery; keep++) {
        const { system } = await freshSystem(counter, { seed: SEED, syncEvery });
        let durable = countOf(system);
        for (let i = 0; i < k; i++) {
          await system.step();
          if (faultsOf(system).unsyncedBatches === 0) durable = countOf(system);
        }
        const before = countOf(system);
        const unsynced = faultsOf(system).unsyncedBatches;
        await system.powerLoss({ keepBatches: keep });
        const report = await system.restart();
        const context = `counter seed ${SEED} syncEvery ${syncEvery}: ${k} cranks, ${unsynced} unsynced, keepBatches ${keep}`;
        expectInvariantsOk(report, context);
        const p = processOf(system, 'counter');
        const after = countOf(system);
        expect(namedStorage(p, 'count').data, context).toEqual({ count: after });
        expect(after, context).toBeGreaterThanOrEqual(durable);
        expect(after, context).toBeLessThanOrEqual(before);
        if (keep >= unsynced) expect(after, context).toBe(before);
        if (after > durable && after < before) between++;
        await system.close();
      }
    }
    // Some power losses must keep part of the unsynced work, not all or nothing.
    expect(between).toBeGreaterThan(0);
  });
});

describe('a commit whose write fails, then the power', () => {
  it.each([
    ['counter', counter],
    ['bank', bankFiringAt(6)],
  ] as [string, SystemSpec][])('%s: the failed commit is absent and everything before it intact', async (name, spec) => {
    let failures = 0;
    for (let k = 1; k <= 30; k++) {
      const { system } = await freshSystem(spec, { seed: SEED, syncEvery: 3 });
      await system.run(k - 1);
      faultsOf(system).failWrite(1);
      let failed = false;
      try {
        await system.run(3);
      } catch (err) {
        expect(err, `${name} crank ${k}`).toBeInstanceOf(StoreError);
        expect((err as StoreError).code).toBe('write_failed');
        failed = true;
      }
      if (failed) failures++;
      const unsynced = faultsOf(system).unsyncedBatches;
      await system.powerLoss({ keepBatches: unsynced });
      const report = await system.restart();
      expectInvariantsOk(report, `${name} seed ${SEED}: write failed at or after crank ${k}, then power loss keeping ${unsynced}`);
      await system.close();
    }
    expect(failures).toBeGreaterThanOrEqual(15);
  });
});
