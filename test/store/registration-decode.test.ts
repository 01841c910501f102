import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { registrationSpec as spec } from '../../store/keepers/registrations.ts';
import { registration } from './arbitraries.ts';
import { assertProperty } from './seed.ts';

/** The two read paths for a registration's wire tuple: one checked pass, and fromWire then check. */
function twoStep(wire: unknown): unknown {
  return spec.check(spec.fromWire(wire));
}

function outcome(read: () => unknown): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(JSON.stringify(read())) };
  } catch {
    return { ok: false };
  }
}

/** A wire tuple with one field replaced by something arbitrary. */
const damagedWire = fc.tuple(registration, fc.nat(5), fc.anything()).map(([r, field, junk]) => {
  const wire = spec.toWire(r);
  wire[field] = junk;
  return wire;
});

describe('reading a registration in one checked pass', () => {
  it('gives the same record as fromWire then check, for every valid registration', async () => {
    await assertProperty(
      fc.property(registration, (r) => {
        const wire = spec.toWire(r);
        expect(outcome(() => (spec.fromWireChecked as (w: unknown) => unknown)(wire))).toEqual(outcome(() => twoStep(wire)));
      }),
      { numRuns: 200 },
    );
  });

  it('accepts and refuses exactly what fromWire then check does, for damaged wire tuples', async () => {
    await assertProperty(
      fc.property(damagedWire, (wire) => {
        expect(outcome(() => (spec.fromWireChecked as (w: unknown) => unknown)(wire)).ok).toBe(outcome(() => twoStep(wire)).ok);
      }),
      { numRuns: 300 },
    );
  });
});
