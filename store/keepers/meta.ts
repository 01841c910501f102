/**
 * The meta record: schema version, ObjectId high-water mark, boot count. Its key doubles as the
 * mark of a capsim store: a LevelDB without it that holds anything is not one.
 * Key: !capsim. Wire: ['capsim', schemaVersion, idHighWater, bootCount].
 */
import { sealWire, unsealWire } from '../codec.ts';
import type { Meta } from '../records.ts';
import { fail, objectId, safeInt } from '../shape.ts';
import { checked, type BatchOp } from './kind.ts';

export const SCHEMA_VERSION = 3;
export const META_KEY = '!capsim';
export const META_NAME = 'meta';
const MAGIC = 'capsim';

function check(value: unknown): Meta {
  const m = value as Meta;
  return { schemaVersion: safeInt(m.schemaVersion, 'schemaVersion', 1), idHighWater: objectId(m.idHighWater, 'idHighWater'), bootCount: safeInt(m.bootCount, 'bootCount') };
}

export function putMeta(meta: Meta): BatchOp {
  return checked(() => META_NAME, () => {
    const m = check(meta);
    return { type: 'put', key: META_KEY, value: sealWire(META_KEY, [MAGIC, m.schemaVersion, m.idHighWater, m.bootCount]) };
  });
}

/**
 * Reads the schema version before anything else, so that a store of another schema is named as
 * such rather than as damaged. Throws DamageReason.
 */
export function decodeMeta(value: Uint8Array): { schemaVersion: number; meta: Meta | null } {
  const wire = unsealWire(META_KEY, value);
  if (!Array.isArray(wire) || wire[0] !== MAGIC) fail('not a capsim meta record');
  const schemaVersion = safeInt(wire[1], 'schemaVersion', 1);
  if (schemaVersion !== SCHEMA_VERSION) return { schemaVersion, meta: null };
  if (wire.length !== 4) fail('meta is not a 4-tuple');
  return { schemaVersion, meta: check({ schemaVersion, idHighWater: wire[2], bootCount: wire[3] }) };
}
