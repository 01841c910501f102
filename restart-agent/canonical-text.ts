/**
 * Canonical JSON of plain data: object keys sorted, so equal records give equal text. The
 * invariant judges compare records as this text at every crank boundary and restart, so it is
 * written out by hand for plain data — JSON.stringify with a replacer function called back into
 * JavaScript for every value and built a sorted copy of every object, which was a sixth of a
 * checked run. Anything else (undefined, a function, a value with toJSON, a Date, a bigint...)
 * goes through the replacer form, which defines the text; a property test holds the two equal.
 *
 * Keys come out as JSON.stringify of the sorted copy put them: array-index keys ("0", "17") first
 * in numeric order, then the rest sorted.
 */

/** How a byte array is written: 'as-json' as JSON.stringify would; 'as-bytes' as {"bytes":[...]}. */
export type BytesMode = 'as-json' | 'as-bytes';

const DEPTH_MAX = 200;

/** Canonical text of `value`; byte arrays as `bytes` says. */
export function canonicalText(value: unknown, bytes: BytesMode): string {
  const out: string[] = [];
  return write(value, bytes, out, 0) ? out.join('') : replacerText(value, bytes);
}

/** Writes plain data; false (leaving `out` to be dropped) at anything the replacer form must decide. */
function write(value: unknown, bytes: BytesMode, out: string[], depth: number): boolean {
  if (value === null) {
    out.push('null');
    return true;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return true;
    case 'number':
      out.push(Number.isFinite(value) ? String(value) : 'null');
      return true;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return true;
    case 'object':
      break;
    default:
      return false;
  }
  if (depth >= DEPTH_MAX) return false;
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      if (!write(value[i], bytes, out, depth + 1)) return false;
    }
    out.push(']');
    return true;
  }
  if (value instanceof Uint8Array) {
    if (bytes === 'as-json') return false;
    out.push('{"bytes":[', value.join(','), ']}');
    return true;
  }
  if (Object.prototype.toString.call(value) !== '[object Object]' || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  const record = value as Record<string, unknown>;
  out.push('{');
  let first = true;
  for (const key of sortedKeys(record)) {
    const v = record[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return false;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(key), ':');
    if (!write(v, bytes, out, depth + 1)) return false;
  }
  out.push('}');
  return true;
}

/** Sorted keys, array-index keys first in numeric order: the order of an object built from them. */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record).sort();
  let indexes: string[] | null = null;
  for (const key of keys) if (isArrayIndex(key)) (indexes ??= []).push(key);
  if (indexes === null) return keys;
  indexes.sort((a, b) => Number(a) - Number(b));
  return [...indexes, ...keys.filter((k) => !isArrayIndex(k))];
}

function isArrayIndex(key: string): boolean {
  const c = key.charCodeAt(0);
  if (c < 48 || c > 57) return false;
  return String(Number(key)) === key && Number(key) < 4294967295;
}

/**
 * The defining form: JSON.stringify with a replacer that sorts every object's keys. (The form
 * capsim used before lost a "__proto__" key, assigning it to the sorted copy: two records that
 * differed only there gave one text.)
 */
export function replacerText(value: unknown, bytes: BytesMode): string {
  return JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    if (bytes === 'as-bytes') {
      // The raw value: a Buffer's toJSON has already turned `v` into {type, data}.
      const raw = (this as Record<string, unknown>)[key];
      if (raw instanceof Uint8Array) return { bytes: [...raw] };
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v as Record<string, unknown>).sort()) {
        const item = (v as Record<string, unknown>)[k];
        // An assignment to '__proto__' would set the copy's prototype and drop the key from the text.
        if (k === '__proto__') Object.defineProperty(sorted, k, { value: item, enumerable: true, writable: true, configurable: true });
        else sorted[k] = item;
      }
      return sorted;
    }
    return v;
  });
}
