import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { stepArb, worldSpecArb } from '../support/ops.ts';
import { propertyParams } from '../support/seed.ts';
import { World } from '../support/world.ts';

const PROCESSES = 3;

describe('no amplification (I4)', () => {
  test('every capability a process holds is within the rights granted to it for that object, and weak stays weak', () => {
    fc.assert(
      fc.property(worldSpecArb(PROCESSES), fc.array(stepArb(PROCESSES), { minLength: 5, maxLength: 50, size: 'max' }), (spec, steps) => {
        const world = new World(spec);
        expect(world.amplification()).toEqual([]);
        for (const step of steps) {
          world.apply(step);
          expect(world.amplification()).toEqual([]);
        }
      }),
      propertyParams(150),
    );
  });

  test('the model catches an amplified capability (the check can fail)', () => {
    const world = new World({ persistent: [false, false], links: [[{ rights: 1, badge: 0 }, { rights: 1 | 8, badge: 0 }], [{ rights: 7, badge: 0 }, { rights: 7, badge: 0 }]] });
    expect(world.amplification()).toEqual([]);
    const p0 = world.kernel.process(world.pids[0] as number);
    const weakLink = [...p0.cspace.entries()].find(([, c]) => c.rights === (1 | 8));
    expect(weakLink).toBeDefined();
    (weakLink as [number, { rights: number }])[1].rights = 1; // forge: drop WEAK behind the kernel's back
    expect(world.amplification()).toHaveLength(1);
  });
});
