/**
 * Property: for any example, seed, sync interval, and two or three power losses in a row, each
 * after a random number of cranks and keeping a random prefix of the unsynced commits, every
 * restart holds every invariant, never reports negative lost work, and the system runs on.
 * The fast-check seed is printed; CAPSIM_SEED=<seed> replays it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { propertySeed } from '../support/seed.ts';
import { expectInvariantsOk, freshSystem, namedStorage, processOf } from './support/harness.ts';
import { bankFiringAt, counter, pingPong } from './support/specs.ts';

const SPECS = { counter, 'ping-pong': pingPong, bank: bankFiringAt(5) } as const;

const seed = propertySeed() ?? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;

describe('repeated power losses, random schedule', () => {
  it(`every restart holds every invariant (fast-check seed ${seed})`, async () => {
    console.log(`power-loss property: fast-check seed ${seed} (replay with CAPSIM_SEED=${seed})`);
    let restarts = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(SPECS) as (keyof typeof SPECS)[])),
        fc.nat({ max: 1_000_000 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.record({ cranks: fc.nat({ max: 40 }), keepBatches: fc.nat({ max: 4 }) }), { minLength: 2, maxLength: 3 }),
        async (name, systemSeed, syncEvery, losses) => {
          const { system } = await freshSystem(SPECS[name], { seed: systemSeed, syncEvery });
          try {
            for (const [i, loss] of losses.entries()) {
              await system.run(loss.cranks);
              await system.powerLoss({ keepBatches: loss.keepBatches });
              const report = await system.restart();
              restarts++;
              const context = `${name} seed ${systemSeed} syncEvery ${syncEvery}, loss ${i + 1} of ${JSON.stringify(losses)}`;
              expectInvariantsOk(report, context);
              expect(report.lostCranks, context).toBeGreaterThanOrEqual(0);
              expect(report.bootCount, context).toBe(i + 2);
              expect(report.quarantined, context).toEqual([]);
              for (const p of system.kernel.processes()) expect(p.status, `${context}: p${p.id}`).toBe('ready');
              if (name === 'counter') {
                const p = processOf(system, 'counter');
                expect(namedStorage(p, 'count').data, context).toEqual(p.state);
              }
            }
            expect(await system.run(5)).toBe(5);
          } finally {
            await system.close();
          }
        },
      ),
      { seed, numRuns: 200 },
    );
    expect(restarts).toBeGreaterThanOrEqual(400);
  });
});
