/**
 * Records set aside by repair: the original key, why, and the stored bytes as they were (a
 * damaged value is kept, not thrown away, so that nothing is lost silently). Nothing reads a
 * quarantined record as what it was; `capsim verify` counts them, `capsim repair` lists them.
 * Key: q<original key>. Wire: [original key, reason, bytes].
 */
import type { QuarantineRecord } from '../records.ts';
import { fail, name, record, tuple } from '../shape.ts';
import { defineNameKind } from './define.ts';

export const quarantine = defineNameKind<QuarantineRecord>({
  label: 'quarantine',
  prefix: 'q',
  check(value) {
    const q = record(value, 'quarantine');
    if (typeof q.reason !== 'string') fail('reason is not a string');
    if (!(q.bytes instanceof Uint8Array)) fail('bytes are not a Uint8Array');
    return { key: name(q.key, 'key'), reason: q.reason, bytes: q.bytes };
  },
  keyOfRecord: (q) => q.key,
  toWire: (q) => [q.key, q.reason, q.bytes],
  fromWire(wire) {
    const [key, reason, bytes] = tuple(wire, 'quarantine', 3);
    return { key, reason, bytes };
  },
});
