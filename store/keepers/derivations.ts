/**
 * Derivation records: one edge of the capability derivation tree per capId, so that a revocation
 * (which deletes the subtree's records) stays revoked after a restart.
 * Key: v<capId hex14>. Wire: [capId, parent|null, target].
 */
import type { DerivationRecord } from '../records.ts';
import { nullableId, objectId, record, tuple } from '../shape.ts';
import { defineIdKind } from './define.ts';

export const derivations = defineIdKind<DerivationRecord>({
  label: 'derivation',
  prefix: 'v',
  check(value) {
    const d = record(value, 'derivation');
    return { capId: objectId(d.capId, 'capId'), parent: nullableId(d.parent, 'parent'), target: objectId(d.target, 'target') };
  },
  keyOfRecord: (d) => d.capId,
  toWire: (d) => [d.capId, d.parent, d.target],
  fromWire(wire) {
    const [capId, parent, target] = tuple(wire, 'derivation', 3);
    return { capId, parent, target };
  },
});
