/**
 * The value format, shared by every record kind:
 *
 *   byte 0      format version (VALUE_FORMAT)
 *   bytes 1..4  CRC32 (big-endian) of the key's UTF-8 bytes followed by the body
 *   bytes 5..   body: msgpack of the record's wire form (raw bytes for blocks)
 *
 * The checksum is verified on every read. LevelDB can skip a damaged record in the middle of its
 * log without a word, so this is the store's only line of defence. The key is folded into the
 * checksum so that a value that lands under another key is caught as well.
 */
import { crc32 } from 'node:zlib';
import { Packr } from 'msgpackr';

export const VALUE_FORMAT = 1;
export const HEADER_BYTES = 5;

// Plain msgpack: no record extension (its structures live in one Packr instance and would not
// survive a restart), no extra types, maps come back as plain objects.
const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false, bundleStrings: false });

/** Packs a wire form and wraps it in the header. The result owns its memory (msgpackr reuses its buffer). */
export function sealWire(key: string, wire: unknown): Uint8Array {
  return sealBytes(key, packr.pack(wire));
}

export function sealBytes(key: string, body: Uint8Array): Uint8Array {
  const value = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  value[0] = VALUE_FORMAT;
  value.writeUInt32BE(crc32(body, keyCrc(key)), 1);
  value.set(body, HEADER_BYTES);
  return value;
}

// The key's CRC in JavaScript: zlib.crc32 of a string converts it to a Buffer first, which cost
// more than the rest of sealing a value. Same polynomial as zlib, so the two chain.
const CRC_TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c;
}

/** CRC32 of the key's UTF-8 bytes (ASCII keys in a JS loop, others through a Buffer). */
export function keyCrc(key: string): number {
  let c = -1;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code >= 0x80) return crc32(Buffer.from(key, 'utf8'));
    c = CRC_TABLE[(c ^ code) & 0xff]! ^ (c >>> 8);
  }
  return (c ^ -1) >>> 0;
}

/** Thrown by unseal and by the shape checks; the keeper turns it into a StoreError naming the record. */
export class DamageReason extends Error {}

/** Checks the header and checksum and returns the body (a view into `value`). */
export function unsealBytes(key: string, value: Uint8Array): Uint8Array {
  if (value.length < HEADER_BYTES) throw new DamageReason(`value of ${value.length} bytes is shorter than its header`);
  if (value[0] !== VALUE_FORMAT) throw new DamageReason(`unknown value format ${value[0]} (this capsim reads ${VALUE_FORMAT})`);
  const stored = ((value[1]! << 24) | (value[2]! << 16) | (value[3]! << 8) | value[4]!) >>> 0;
  const body = value.subarray(HEADER_BYTES);
  const computed = crc32(body, keyCrc(key));
  if (stored !== computed) throw new DamageReason(`checksum mismatch (stored ${hex32(stored)}, computed ${hex32(computed)})`);
  return body;
}

export function unsealWire(key: string, value: Uint8Array): unknown {
  const body = unsealBytes(key, value);
  try {
    return packr.unpack(body);
  } catch (error) {
    throw new DamageReason(`body does not decode: ${(error as Error).message}`);
  }
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}
