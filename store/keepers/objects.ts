/**
 * Endpoints and the other persistent kernel objects a reference may target.
 * Key: o<id hex14>. Wire: [id, kind, owner|null].
 */
import type { ObjectRecord } from '../records.ts';
import { kind, nullableId, objectId, record, tuple } from '../shape.ts';
import { defineIdKind } from './define.ts';

export const objects = defineIdKind<ObjectRecord>({
  label: 'object',
  prefix: 'o',
  check(value) {
    const o = record(value, 'object');
    return { id: objectId(o.id, 'id'), kind: kind(o.kind, 'kind'), owner: nullableId(o.owner, 'owner') };
  },
  keyOfRecord: (o) => o.id,
  toWire: (o) => [o.id, o.kind, o.owner],
  fromWire(wire) {
    const [id, k, owner] = tuple(wire, 'object', 3);
    return { id, kind: k, owner };
  },
});
