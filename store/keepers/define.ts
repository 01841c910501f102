/**
 * Builds a msgpack record kind from its parts: how its key is made and read back, the shape check
 * (one function, used on write and on read) and the compact wire form (a tuple, so that field
 * names are not stored in every value).
 */
import { sealWire, unsealWire } from '../codec.ts';
import { idKey, idOfKey, prefixRange } from '../keys.ts';
import { fail, objectId, name as checkName } from '../shape.ts';
import { checked, type BatchOp, type RecordKind } from './kind.ts';

export interface KindSpec<K, R> {
  label: string;
  prefix: string;
  /** Validates a record-shaped value and returns a canonical copy; throws DamageReason. */
  check(value: unknown): R;
  keyOfRecord(record: R): K;
  toWire(record: R): unknown[];
  /** Maps a wire tuple back to a record-shaped value; `check` then validates it. */
  fromWire(wire: unknown): unknown;
  /**
   * Optional: maps a wire tuple straight to a checked record in one pass, for kinds read in
   * bulk at boot. It must accept exactly what check(fromWire(wire)) accepts.
   */
  fromWireChecked?(wire: unknown): R;
}

interface KeyCodec<K> {
  encode(prefix: string, k: K): string;
  decode(prefix: string, key: string): K;
  show(k: K): string;
  check(k: unknown, field: string): K;
}

const ID_KEYS: KeyCodec<number> = {
  encode: idKey,
  decode: idOfKey,
  show: (id) => String(id),
  check: objectId,
};

const NAME_KEYS: KeyCodec<string> = {
  encode: (prefix, name) => prefix + name,
  decode: (prefix, key) => key.slice(prefix.length),
  show: (name) => JSON.stringify(name),
  check: checkName,
};

export function defineIdKind<R>(spec: KindSpec<number, R>): RecordKind<number, R> {
  return defineKind(spec, ID_KEYS);
}

export function defineNameKind<R>(spec: KindSpec<string, R>): RecordKind<string, R> {
  return defineKind(spec, NAME_KEYS);
}

function defineKind<K, R>(spec: KindSpec<K, R>, keys: KeyCodec<K>): RecordKind<K, R> {
  const { label, prefix } = spec;
  const key = (k: K): string => keys.encode(prefix, k);
  return {
    label,
    range: prefixRange(prefix),
    key,
    nameOfKey: (stored) => `${label} ${keys.show(keys.decode(prefix, stored))}`,
    put(record: R): BatchOp {
      let canonical: R;
      try {
        canonical = spec.check(record);
      } catch (error) {
        return checked(() => `${label} ${describe(spec, keys, record)}`, () => {
          throw error;
        });
      }
      const k = key(spec.keyOfRecord(canonical));
      return { type: 'put', key: k, value: sealWire(k, spec.toWire(canonical)) };
    },
    del(k: K): BatchOp {
      checked(() => `${label} ${String(k)}`, () => keys.check(k, 'key'));
      return { type: 'del', key: key(k) };
    },
    decode(stored: string, value: Uint8Array): R {
      const wire = unsealWire(stored, value);
      const record = spec.fromWireChecked ? spec.fromWireChecked(wire) : spec.check(spec.fromWire(wire));
      const expected = keys.decode(prefix, stored);
      if (spec.keyOfRecord(record) !== expected) fail(`the record says ${keys.show(spec.keyOfRecord(record))}, its key ${keys.show(expected)}`);
      return record;
    },
  };
}

/** Names a record for an 'invalid' error without trusting its shape. */
function describe<K, R>(spec: KindSpec<K, R>, keys: KeyCodec<K>, record: R): string {
  try {
    return keys.show(spec.keyOfRecord(record));
  } catch {
    return '(unreadable)';
  }
}
