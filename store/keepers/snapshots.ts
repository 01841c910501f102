/**
 * Named snapshots: name → a record the snapshot code defines (another issue).
 * Key: n<name>. Wire: [name, record].
 */
import type { SnapshotRecord } from '../records.ts';
import { name, plain, record, tuple } from '../shape.ts';
import { defineNameKind } from './define.ts';

export const snapshots = defineNameKind<SnapshotRecord>({
  label: 'snapshot',
  prefix: 'n',
  check(value) {
    const s = record(value, 'snapshot');
    return { name: name(s.name, 'name'), record: plain(s.record, 'record') };
  },
  keyOfRecord: (s) => s.name,
  toWire: (s) => [s.name, s.record],
  fromWire(wire) {
    const [n, rec] = tuple(wire, 'snapshot', 2);
    return { name: n, record: rec };
  },
});
