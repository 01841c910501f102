/**
 * The object store: storage objects by ObjectId, each with a version. Their names live in the
 * directory keeper, so that renaming never rewrites an object.
 * Key: s<id hex14>. Wire: [id, version, data].
 */
import type { StorageRecord } from '../records.ts';
import { objectId, plain, record, safeInt, tuple } from '../shape.ts';
import { defineIdKind } from './define.ts';

export const storage = defineIdKind<StorageRecord>({
  label: 'storage',
  prefix: 's',
  check(value) {
    const s = record(value, 'storage');
    return { id: objectId(s.id, 'id'), version: safeInt(s.version, 'version'), data: plain(s.data, 'data') };
  },
  keyOfRecord: (s) => s.id,
  toWire: (s) => [s.id, s.version, s.data],
  fromWire(wire) {
    const [id, version, data] = tuple(wire, 'storage', 3);
    return { id, version, data };
  },
});
