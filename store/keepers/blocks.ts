/**
 * Content-addressed blocks for checkpoints and snapshots. The hash is the lowercase hex sha256
 * of the bytes, so a read checks the content twice: the value checksum, then the hash.
 * Key: b<hash>. Body: the raw bytes (no msgpack: blocks are already bytes).
 */
import { createHash } from 'node:crypto';
import { sealBytes, unsealBytes } from '../codec.ts';
import { prefixRange } from '../keys.ts';
import type { BlockRecord } from '../records.ts';
import { fail } from '../shape.ts';
import { checked, type BatchOp, type RecordKind } from './kind.ts';

export const BLOCK_BYTES_MAX = 64 * 1024 * 1024;
const PREFIX = 'b';
const HASH = /^[0-9a-f]{64}$/;

export function hashOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function checkHash(hash: unknown): string {
  if (typeof hash !== 'string' || !HASH.test(hash)) fail(`not a lowercase hex sha256: ${String(hash)}`);
  return hash;
}

export const blocks: RecordKind<string, BlockRecord> = {
  label: 'block',
  range: prefixRange(PREFIX),
  key: (hash) => PREFIX + hash,
  nameOfKey: (key) => `block ${key.slice(PREFIX.length)}`,
  put(record) {
    return checked(() => 'block', () => {
      if (!(record.bytes instanceof Uint8Array) || record.bytes.length > BLOCK_BYTES_MAX) fail(`bytes are not a Uint8Array of at most ${BLOCK_BYTES_MAX}`);
      if (checkHash(record.hash) !== hashOf(record.bytes)) fail('hash does not match the bytes');
      const key = PREFIX + record.hash;
      return { type: 'put', key, value: sealBytes(key, record.bytes) } satisfies BatchOp;
    });
  },
  del(hash) {
    return checked(() => `block ${String(hash)}`, () => ({ type: 'del', key: PREFIX + checkHash(hash) }) satisfies BatchOp);
  },
  decode(key, value) {
    const hash = checkHash(key.slice(PREFIX.length));
    const bytes = new Uint8Array(unsealBytes(key, value));
    if (hashOf(bytes) !== hash) fail('content does not match its hash');
    return { hash, bytes };
  },
};
