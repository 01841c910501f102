/**
 * The transcript model over random runs: examples, checkpoint intervals, syncEvery, power
 * losses keeping a random prefix of the unsynced entries, and checkpoints cut short. Every
 * invariant holds at every restart, I10 after replay included, and the work lost is never more
 * than the entries left unsynced. The seed is printed; CAPSIM_SEED replays it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../../examples/index.ts';
import { formatReport, System, violations } from '../../../restart-agent/index.ts';
import { MemoryDisk } from '../../../store/index.ts';
import { assertProperty } from '../../support/seed.ts';

const NAMES = ['counter', 'ping-pong', 'bank', 'transfer', 'flood', 'kv', 'file-server'] as const;

describe('the transcript model over random runs', () => {
  it('holds every invariant and loses at most the unsynced entries', async () => {
    await assertProperty(
      fc.asyncProperty(
        fc.constantFrom(...NAMES),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.record({ cranks: fc.integer({ min: 0, max: 30 }), keep: fc.integer({ min: 0, max: 3 }), interrupt: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }) }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 1000 }),
        async (name, every, syncEvery, rounds, seed) => {
          const spec = EXAMPLES[name];
          if (spec === undefined) throw new Error(`no example ${name}`);
          const system = await System.create({ spec, store: { backend: 'memory', disk: new MemoryDisk() }, seed, model: 'transcript', checkpointEvery: every, syncEvery });
          for (const round of rounds) {
            await system.run(round.cranks);
            if (round.interrupt !== undefined) {
              const out = await system.checkpoint({ interruptAfterBatches: round.interrupt });
              if (out.complete) await system.powerLoss({ keepBatches: round.keep });
            } else {
              await system.powerLoss({ keepBatches: round.keep });
            }
            const report = await system.restart();
            expect(violations(report.invariants), formatReport(report)).toEqual([]);
            expect(report.lostCranks, formatReport(report)).toBeLessThan(syncEvery);
          }
          await system.close();
        },
      ),
      { numRuns: 80, replay: 'npx vitest run test/restart-agent/transcript/transcript-property.test.ts' },
    );
  });
});
