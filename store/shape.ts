/**
 * Shape checks shared by the keepers. Each throws DamageReason with a message naming the field;
 * the keeper reports it as 'invalid' on write and as 'damaged' on read, so the same check guards
 * both sides of the disk.
 */
import { DamageReason } from './codec.ts';
import { OBJECT_KINDS, type ObjectId, type ObjectKind, type PlainData } from './records.ts';

export const PLAIN_DEPTH_MAX = 64;
export const NAME_CHARS_MAX = 4096;

export function fail(message: string): never {
  throw new DamageReason(message);
}

export function objectId(value: unknown, field: string): ObjectId {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(`${field} is not an ObjectId: ${String(value)}`);
  return value;
}

export function nullableId(value: unknown, field: string): ObjectId | null {
  return value === null ? null : objectId(value, field);
}

export function safeInt(value: unknown, field: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) fail(`${field} is not an integer >= ${min}: ${String(value)}`);
  return value;
}

export function kind(value: unknown, field: string): ObjectKind {
  if (!OBJECT_KINDS.includes(value as ObjectKind)) fail(`${field} is not an object kind: ${String(value)}`);
  return value as ObjectKind;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value as T)) fail(`${field} is not one of ${allowed.join('|')}: ${String(value)}`);
  return value as T;
}

/** A name or path: non-empty, bounded, well-formed UTF-16 (a lone surrogate would not survive UTF-8). */
export function name(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > NAME_CHARS_MAX) fail(`${field} is not a name of 1..${NAME_CHARS_MAX} chars`);
  if (!wellFormed(value)) fail(`${field} holds a lone surrogate`);
  return value;
}

export function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${field} is not an object`);
  return value as Record<string, unknown>;
}

export function array(value: unknown, field: string, lengthMax = Number.MAX_SAFE_INTEGER): unknown[] {
  if (!Array.isArray(value) || value.length > lengthMax) fail(`${field} is not an array${lengthMax < Number.MAX_SAFE_INTEGER ? ` of at most ${lengthMax}` : ''}`);
  return value;
}

export function tuple(value: unknown, field: string, length: number): unknown[] {
  if (!Array.isArray(value) || value.length !== length) fail(`${field} is not a ${length}-tuple`);
  return value;
}

/**
 * Checks plain data and returns it in canonical form: byte arrays become plain Uint8Array copies
 * (msgpackr hands back Buffers that view the whole read buffer). Bounded by PLAIN_DEPTH_MAX.
 */
export function plain(value: unknown, field: string, depthLeft = PLAIN_DEPTH_MAX): PlainData {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) fail(`${field} holds a non-finite number`);
      return value;
    case 'string':
      if (!wellFormed(value)) fail(`${field} holds a lone surrogate`);
      return value;
    case 'boolean':
      return value;
    case 'object':
      break;
    default:
      fail(`${field} holds a ${typeof value}, which is not plain data`);
  }
  if (value === null) return null;
  if (depthLeft <= 0) fail(`${field} is nested deeper than ${PLAIN_DEPTH_MAX} (or holds a cycle)`);
  if (value instanceof Uint8Array) {
    return value.constructor === Uint8Array ? value : new Uint8Array(value);
  }
  if (Array.isArray(value)) {
    let out: PlainData[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item = plain(value[i], field, depthLeft - 1);
      if (item !== value[i] && out === null) out = value.slice(0, i) as PlainData[];
      if (out !== null) out.push(item);
    }
    return out ?? (value as PlainData[]);
  }
  // A plain object inherits from a root prototype: this realm's Object.prototype, or another
  // realm's (a confined program's data comes from its own realm), or none.
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== null && Object.getPrototypeOf(proto) !== null) fail(`${field} holds a class instance, which is not plain data`);
  let out: Record<string, PlainData> | null = null;
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (key === '__proto__') fail(`${field} holds a "__proto__" key`);
    if (!wellFormed(key)) fail(`${field} holds a key with a lone surrogate`);
    const item = plain(source[key], field, depthLeft - 1);
    if (item !== source[key] && out === null) out = { ...(source as Record<string, PlainData>) };
    if (out !== null) out[key] = item;
  }
  return out ?? (source as Record<string, PlainData>);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A char loop first: most strings hold no surrogate at all, and the loop is cheaper than the regex. */
function wellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return !LONE_SURROGATE.test(s);
  }
  return true;
}
