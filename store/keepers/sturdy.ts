/**
 * Sturdy references: per token the hash of its secret and what it stands for.
 * Key: t<id hex14>. Wire: [id, hash, target, kind, rights, badge, maker, createdCrank, revoked, parent|null].
 */
import type { SturdyRecord } from '../records.ts';
import { fail, kind, nullableId, objectId, record, safeInt, tuple } from '../shape.ts';
import { defineIdKind } from './define.ts';

const HASH_FORM = /^[0-9a-f]{64}$/;

export const sturdy = defineIdKind<SturdyRecord>({
  label: 'sturdy',
  prefix: 't',
  check(value) {
    const s = record(value, 'sturdy');
    if (typeof s.hash !== 'string' || !HASH_FORM.test(s.hash)) fail('hash is not a sha256 in hex');
    if (typeof s.revoked !== 'boolean') fail('revoked is not a boolean');
    return {
      id: objectId(s.id, 'id'),
      hash: s.hash,
      target: objectId(s.target, 'target'),
      kind: kind(s.kind, 'kind'),
      rights: safeInt(s.rights, 'rights'),
      badge: safeInt(s.badge, 'badge'),
      maker: objectId(s.maker, 'maker'),
      createdCrank: safeInt(s.createdCrank, 'createdCrank'),
      revoked: s.revoked,
      parent: nullableId(s.parent, 'parent'),
    };
  },
  keyOfRecord: (s) => s.id,
  toWire: (s) => [s.id, s.hash, s.target, s.kind, s.rights, s.badge, s.maker, s.createdCrank, s.revoked, s.parent],
  fromWire(wire) {
    const [id, hash, target, k, rights, badge, maker, createdCrank, revoked, parent] = tuple(wire, 'sturdy', 10);
    return { id, hash, target, kind: k, rights, badge, maker, createdCrank, revoked, parent };
  },
});
