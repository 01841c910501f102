import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../examples/index.ts';
import { System } from '../../restart-agent/index.ts';
import { MemoryDisk } from '../../store/index.ts';
import { propertySeed } from '../support/seed.ts';
import { expectInvariantsOk } from './support/harness.ts';

describe('group commit under power loss', () => {
  it('held and unsynced commits are lost whole, synced ones kept: every invariant holds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('counter', 'bank', 'transfer'),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 120 }),
        fc.nat(4),
        async (example, groupCommit, syncEvery, cranks, keep) => {
          const store = { backend: 'memory' as const, disk: new MemoryDisk() };
          const system = await System.create({ spec: EXAMPLES[example]!, store, seed: 7, groupCommit, syncEvery });
          await system.run(cranks);
          await system.powerLoss({ keepBatches: keep });
          const report = await system.restart();
          expectInvariantsOk(report, `${example}, groupCommit ${groupCommit}, syncEvery ${syncEvery}, ${cranks} cranks, keep ${keep}`);
          expect(report.lostCranks).toBeGreaterThanOrEqual(0);
          await system.close();
        },
      ),
      { seed: propertySeed(), numRuns: 60 },
    );
  });

  it('with syncEvery 1 nothing is lost, whatever the group size', async () => {
    const store = { backend: 'memory' as const, disk: new MemoryDisk() };
    const system = await System.create({ spec: EXAMPLES.counter!, store, seed: 2, groupCommit: 8, syncEvery: 1 });
    await system.run(50);
    await system.powerLoss();
    const report = await system.restart();
    expect(report.lostCranks).toBe(0);
    expectInvariantsOk(report, 'counter, groupCommit 8, syncEvery 1');
    await system.close();
  });
});
