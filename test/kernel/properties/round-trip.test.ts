import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { stateHash } from '../../../kernel/index.ts';
import { stepArb, worldSpecArb } from '../support/ops.ts';
import { propertyParams } from '../support/seed.ts';
import { World } from '../support/world.ts';

const PROCESSES = 3;

describe('export/import round trip (I10)', () => {
  test('an imported kernel equals its source, and both continue identically under the same steps', () => {
    fc.assert(
      fc.property(
        worldSpecArb(PROCESSES),
        fc.array(stepArb(PROCESSES), { minLength: 2, maxLength: 25, size: 'max' }),
        fc.array(stepArb(PROCESSES), { minLength: 2, maxLength: 25, size: 'max' }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (spec, before, after, seed) => {
          const original = new World(spec, { schedule: 'seeded', seed });
          for (const step of before) original.apply(step);
          const copy = new World(spec, { schedule: 'seeded', seed });
          copy.adopt(original.lab.reimport());
          expect(stateHash(copy.kernel)).toBe(stateHash(original.kernel));
          expect(copy.kernel.trace.hash).toBe(original.kernel.trace.hash);
          for (const step of after) {
            original.apply(step);
            copy.apply(step);
            expect(copy.kernel.trace.hash).toBe(original.kernel.trace.hash);
          }
          expect(stateHash(copy.kernel)).toBe(stateHash(original.kernel));
        },
      ),
      propertyParams(60),
    );
  });
});
