import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { stateHash } from '../../../kernel/index.ts';
import { stepArb, worldSpecArb, type Step, type WorldSpec } from '../support/ops.ts';
import { propertyParams } from '../support/seed.ts';
import { World } from '../support/world.ts';

const PROCESSES = 3;

function play(spec: WorldSpec, steps: Step[], seed: number): { trace: string; state: string; cranks: number } {
  const world = new World(spec, { schedule: 'seeded', seed });
  for (const step of steps) world.apply(step);
  world.kernel.run(500);
  return { trace: world.kernel.trace.hash, state: stateHash(world.kernel), cranks: world.kernel.crankCount };
}

describe('determinism (I9)', () => {
  test('same seed, same inputs: the same trace hash and the same state', () => {
    fc.assert(
      fc.property(worldSpecArb(PROCESSES), fc.array(stepArb(PROCESSES), { minLength: 5, maxLength: 40, size: 'max' }), fc.integer({ min: 0, max: 0xffffffff }), (spec, steps, seed) => {
        expect(play(spec, steps, seed)).toEqual(play(spec, steps, seed));
      }),
      propertyParams(60),
    );
  });

  test('the trace hash tells runs apart (the comparison above can fail)', () => {
    const spec: WorldSpec = { persistent: [false, false, false], links: Array.from({ length: 3 }, () => Array.from({ length: 3 }, () => ({ rights: 7, badge: 0 }))) };
    const send = (who: number): Step => ({ kind: 'ops', who, ops: [{ op: 'send', slot: 2 + ((who + 1) % 3), payload: who, caps: null }], cranks: 0 });
    const a = play(spec, [send(0), send(1)], 1);
    const b = play(spec, [send(1), send(0)], 1);
    expect(a.trace).not.toBe(b.trace);
  });
});
