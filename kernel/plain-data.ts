/**
 * Payloads and program state are plain data: null, booleans, finite numbers, strings, arrays
 * and plain objects (what JSON and msgpack carry alike). They are deep-frozen when they cross into the kernel, so no two
 * processes ever share mutable memory and a faulted crank cannot have changed its old state.
 *
 * Freezing instead of copying is a speed decision: a structured clone costs about ten times a
 * freeze walk. Objects already validated are remembered (WeakMap: object → size), so forwarding a
 * payload or returning a mostly unchanged state costs only the new parts.
 */
import { types } from 'node:util';
import { KernelError } from './errors.ts';

export type PlainData =
  | null
  | boolean
  | number
  | string
  | readonly PlainData[]
  | { readonly [key: string]: PlainData };

const validated = new WeakMap<object, number>();

/**
 * The Object.prototype and Array.prototype of every realm whose objects are plain data: this
 * one's, and each confined realm's (kernel/confine/realm.ts admits its own). A registry of
 * intrinsics, not a switch: two systems in one process see the same answers.
 */
const plainPrototypes = new WeakSet<object>([Object.prototype, Array.prototype]);

export function admitPlainPrototypes(objectPrototype: object, arrayPrototype: object): void {
  plainPrototypes.add(objectPrototype);
  plainPrototypes.add(arrayPrototype);
}

const NUMBER_BYTES = 8;

/**
 * Checks that `value` is plain data within the bounds, freezes it deeply, and returns its
 * approximate size in bytes. Throws KernelError('not_plain_data' | 'payload_too_large').
 */
export function freezePlain(value: unknown, bytesMax: number, depthMax: number): number {
  const size = walk(value, depthMax, bytesMax);
  if (size > bytesMax) {
    throw new KernelError('payload_too_large', `about ${size} bytes, limit ${bytesMax}`);
  }
  return size;
}

function walk(value: unknown, depthLeft: number, bytesMax: number): number {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new KernelError('not_plain_data', `number ${value} is not finite`);
      return NUMBER_BYTES;
    case 'string':
      return value.length + 1;
    case 'boolean':
      return 1;
    case 'object':
      break;
    default:
      throw new KernelError('not_plain_data', `a ${typeof value} is not plain data`);
  }
  if (value === null) return 1;
  const known = validated.get(value);
  if (known !== undefined) return known;
  if (depthLeft <= 0) {
    throw new KernelError('not_plain_data', 'nested too deep (or a cycle)');
  }
  // A Proxy's traps, or an array subclass's unfrozen prototype, would be code and memory shared
  // between the sender and the receiver.
  if (types.isProxy(value)) throw new KernelError('not_plain_data', 'a Proxy is not plain data');
  let size = 0;
  if (Array.isArray(value)) {
    if (!plainPrototypes.has(Object.getPrototypeOf(value) as object)) throw new KernelError('not_plain_data', 'an array of a subclass is not plain data');
    for (let i = 0; i < value.length; i++) {
      size += walk(dataProperty(value, i), depthLeft - 1, bytesMax);
      if (size > bytesMax) return size;
    }
  } else {
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto !== null && !plainPrototypes.has(proto)) {
      // Typed arrays land here too: they cannot be frozen, so they could be shared mutably.
      throw new KernelError('not_plain_data', 'only plain objects and arrays, not class instances or byte arrays');
    }
    for (const key in value) {
      size += key.length + 1 + walk(dataProperty(value, key), depthLeft - 1, bytesMax);
      if (size > bytesMax) return size;
    }
  }
  Object.freeze(value);
  validated.set(value, size);
  return size;
}

/**
 * The value of an own data property. An accessor is refused: freezing keeps it, so its getter
 * could answer differently after the check, sharing the sender's memory with the receiver.
 */
function dataProperty(object: object, key: string | number): unknown {
  const d = Object.getOwnPropertyDescriptor(object, key);
  if (d !== undefined && !('value' in d)) throw new KernelError('not_plain_data', `property '${key}' is an accessor, not a value`);
  return d?.value;
}

/** Deep equality of plain data, used by tests and state comparison. */
export function plainEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!plainEqual(a[i], b[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!plainEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
