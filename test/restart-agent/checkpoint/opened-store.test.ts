/**
 * A System that opened a checkpoint store another System made judges its next restart against
 * the checkpoint it booted from. Before, it knew of no checkpoint at all and reported a model
 * that lost nothing as violating I1 ("restored checkpoint 3, but checkpoint 0 was complete")
 * and I2.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../../examples/index.ts';
import { System, violations } from '../../../restart-agent/index.ts';
import { MemoryDisk } from '../../../store/index.ts';

const spec = EXAMPLES.counter!;

describe('a checkpoint store opened afresh', () => {
  for (const model of ['checkpoint', 'both', 'transcript'] as const) {
    it(`${model}: the next restart is judged against the checkpoint it booted from`, async () => {
      const disk = new MemoryDisk();
      const first = await System.create({ spec, store: { backend: 'memory', disk }, seed: 3, model, checkpointEvery: 5 });
      await first.run(12);
      await first.close();
      const { system } = await System.open({ spec, store: { backend: 'memory', disk }, seed: 3 });
      await system.run(3);
      await system.powerLoss({ keepBatches: 0 });
      const report = await system.restart();
      expect(violations(report.invariants)).toEqual([]);
      expect(report.invariants['I10 checkpoint equivalence']).toBe('ok');
      await system.close();
    });
  }
});
