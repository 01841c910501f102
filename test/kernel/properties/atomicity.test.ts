import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { ObjectId } from '../../../kernel/index.ts';
import { opArb, stepArb, worldSpecArb, type Op, type Step, type WorldSpec } from '../support/ops.ts';
import { propertyParams } from '../support/seed.ts';
import { maskedState } from '../support/snapshot.ts';
import { World } from '../support/world.ts';

const PROCESSES = 3;

/**
 * Replays `prefix` until nothing is left to run, then hands `ops` to process `who` and runs that
 * one crank (the only runnable one); null if the process cannot take it.
 */
function crankWith(spec: WorldSpec, prefix: Step[], who: number, ops: Op[]): World | null {
  const world = new World(spec);
  for (const step of prefix) world.apply(step);
  if (world.kernel.run(1000) === 1000) return null;
  const pid = world.pids[who] as ObjectId;
  if (world.kernel.process(pid).status !== 'ready') return null;
  try {
    world.kernel.inject(world.control[who] as ObjectId, { ops: ops as never });
  } catch {
    return null; // the control queue is full
  }
  const r = world.kernel.step();
  expect(r).toMatchObject({ pid, fault: 'Error: op throws' });
  return world;
}

describe('crank atomicity (I2)', () => {
  test('any syscalls followed by a throw leave the kernel as a crank that only threw', () => {
    let compared = 0;
    fc.assert(
      fc.property(
        worldSpecArb(PROCESSES),
        fc.array(stepArb(PROCESSES), { maxLength: 20, size: 'max' }),
        fc.integer({ min: 0, max: PROCESSES - 1 }),
        fc.array(opArb.filter((op) => op.op !== 'throw'), { minLength: 1, maxLength: 12 }),
        (spec, prefix, who, ops) => {
          const busy = crankWith(spec, prefix, who, [...ops, { op: 'throw' }]);
          const idle = crankWith(spec, prefix, who, [{ op: 'throw' }]);
          expect(busy === null).toBe(idle === null);
          if (busy === null || idle === null) return;
          compared++;
          expect(busy.crashes).toEqual([]);
          expect(maskedState(busy.kernel, { counters: true })).toEqual(maskedState(idle.kernel, { counters: true }));
          expect(busy.bookkeeping()).toEqual([]);
        },
      ),
      propertyParams(150),
    );
    expect(compared).toBeGreaterThan(50);
  });
});
