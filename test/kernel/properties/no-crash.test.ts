import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { stepArb, worldSpecArb } from '../support/ops.ts';
import { propertyParams } from '../support/seed.ts';
import { World } from '../support/world.ts';

const PROCESSES = 3;

describe('random syscalls from random processes', () => {
  test('never crash the kernel, and leave its bookkeeping consistent after every step', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(worldSpecArb(PROCESSES), fc.array(stepArb(PROCESSES), { minLength: 5, maxLength: 50, size: 'max' }), (spec, steps) => {
        const world = new World(spec);
        expect(world.bookkeeping()).toEqual([]);
        for (const step of steps) {
          world.apply(step);
          expect(world.bookkeeping()).toEqual([]);
        }
        world.kernel.run(500);
        expect(world.bookkeeping()).toEqual([]);
        for (const code of world.codes.keys()) seen.add(code);
      }),
      propertyParams(150),
    );
    // The runs reached the error paths, not just the happy ones.
    for (const code of ['invalid_slot', 'empty_slot', 'wrong_kind', 'insufficient_rights', 'rights_amplification', 'invalid_argument', 'name_invalid']) {
      expect(seen).toContain(code);
    }
  });
});
