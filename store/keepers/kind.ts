/**
 * A record kind: its key prefix, how a key names the record, and the pair of shape checks around
 * the codec. Every keeper is one RecordKind; nothing else in capsim builds a key.
 *
 * Writes: check the record (throws StoreError 'invalid', nothing written) → wire form → seal.
 * Reads:  unseal (checksum) → wire form → the same check → the record (or StoreError 'damaged').
 */
import { DamageReason } from '../codec.ts';
import { StoreError } from '../errors.ts';
import type { KeyRange } from '../keys.ts';
import type { DamagedRecord } from '../records.ts';

export interface BatchOp {
  type: 'put' | 'del';
  key: string;
  value?: Uint8Array;
}

export interface RecordKind<K, R> {
  /** e.g. 'registration': the first word of every record name. */
  readonly label: string;
  readonly range: KeyRange;
  key(k: K): string;
  /** "registration 42": from a key alone, so that a damaged value can still be named. */
  nameOfKey(key: string): string;
  /** Validates and encodes: throws StoreError('invalid') and encodes nothing on a bad record. */
  put(record: R): BatchOp;
  del(k: K): BatchOp;
  /** Verifies and decodes: throws DamageReason. */
  decode(key: string, value: Uint8Array): R;
}

/**
 * Runs a write-side check, turning its complaint into StoreError('invalid'). The name is built
 * only on failure: this runs for every op on the commit path.
 */
export function checked<T>(name: () => string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof DamageReason) throw new StoreError('invalid', error.message, { record: name() });
    throw error;
  }
}

/** Decodes one stored value or throws StoreError('damaged') naming it. */
export function decodeOrThrow<K, R>(kind: RecordKind<K, R>, key: string, value: Uint8Array): R {
  try {
    return kind.decode(key, value);
  } catch (error) {
    throw new StoreError('damaged', reasonOf(error), { record: safeName(kind, key), cause: error });
  }
}

/** Decodes one stored value or describes why it cannot be trusted (for scans and verify). */
export function decodeOrDamaged<K, R>(kind: RecordKind<K, R>, key: string, value: Uint8Array): R | DamagedRecord {
  try {
    return kind.decode(key, value);
  } catch (error) {
    return { damaged: true, record: safeName(kind, key), reason: reasonOf(error) };
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function safeName<K, R>(kind: RecordKind<K, R>, key: string): string {
  try {
    return kind.nameOfKey(key);
  } catch {
    return `${kind.label} with malformed key ${JSON.stringify(key)}`;
  }
}
