/**
 * The directory: path → ObjectId, managed apart from the objects it names.
 * Key: d<path>. Wire: [path, id] (the path is repeated so the record checks against its key).
 */
import type { DirectoryEntry } from '../records.ts';
import { name, objectId, record, tuple } from '../shape.ts';
import { defineNameKind } from './define.ts';

export const directory = defineNameKind<DirectoryEntry>({
  label: 'directory',
  prefix: 'd',
  check(value) {
    const e = record(value, 'directory entry');
    return { path: name(e.path, 'path'), id: objectId(e.id, 'id') };
  },
  keyOfRecord: (e) => e.path,
  toWire: (e) => [e.path, e.id],
  fromWire(wire) {
    const [path, id] = tuple(wire, 'directory entry', 2);
    return { path, id };
  },
});
