/**
 * Key layout. One flat key space; every record kind owns a one-character prefix (declared in its
 * keeper) followed by either a fixed-width id or a name:
 *
 *   !capsim            meta            b<sha256 hex>   blocks
 *   c<seq hex14>       checkpoints     d<path>         directory
 *   n<name>            snapshots       o<id hex14>     objects
 *   r<id hex14>        registrations   s<id hex14>     storage
 *   t<id hex14>        sturdy refs     q<key>          quarantine
 *   x<crank hex14>     transcript
 *
 * Ids are zero-padded lowercase hex, 14 digits (2^53 needs 14), so byte order is numeric order and
 * a scan of one kind is one contiguous, id-ordered range. Prefixes are single ASCII characters,
 * so [prefix, next char) covers exactly one kind in UTF-8 byte order and in JS string order alike.
 */
import { fail } from './shape.ts';

export const ID_HEX_DIGITS = 14;

export function idKey(prefix: string, id: number): string {
  return prefix + id.toString(16).padStart(ID_HEX_DIGITS, '0');
}

/** The id in a key built by idKey; throws DamageReason for a key that idKey could not have built. */
export function idOfKey(prefix: string, key: string): number {
  const digits = key.slice(prefix.length);
  if (digits.length !== ID_HEX_DIGITS || !/^[0-9a-f]+$/.test(digits)) fail(`malformed key`);
  return parseInt(digits, 16);
}

export interface KeyRange {
  gte: string;
  lt: string;
}

export function prefixRange(prefix: string): KeyRange {
  if (prefix.length !== 1 || prefix.charCodeAt(0) >= 0x7f) throw new Error(`prefix must be one ASCII char: ${prefix}`);
  return { gte: prefix, lt: String.fromCharCode(prefix.charCodeAt(0) + 1) };
}

/** All keys, for verifyStore. '\u{10FFFF}' sorts after any key the store builds. */
export const WHOLE_RANGE: KeyRange = { gte: '', lt: '\u{10FFFF}' };
