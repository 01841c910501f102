/**
 * The witness: the account's sequence number and whole-store sum as of the last synced batch,
 * kept outside LevelDB's own files, so that a store LevelDB rolled back — a damaged or
 * truncated log tail it dropped on open, or older files put back — is caught: its account is
 * then older than its witness (DESIGN.md I15).
 *
 * When it is written: right after a synced batch returns from LevelDB (so the witness is never
 * ahead of what is durable), before the commit that synced resolves. It is one positional
 * write of 64 bytes into the page cache, with no fsync of its own: after an OS crash it may lag
 * the store (a rollback in that window then goes unseen), never lead it. Two slots, alternating
 * by sequence number, each with its own CRC, as TigerBeetle keeps superblock copies: a torn
 * write damages one slot, and the other still holds the previous sync.
 *
 * For a classic store it is the file WITNESS_FILE inside the store's folder (LevelDB ignores
 * files it did not name); a memory disk keeps it beside its data.
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { LANES, type KindSum } from './account.ts';
import { StoreError } from './errors.ts';

export const WITNESS_FILE = 'CAPSIM-WITNESS';
const SLOT_BYTES = 64;
const BODY_BYTES = 4 + 8 + 8 + LANES * 4;
const MAGIC = 0x43574954; // "CWIT"

export interface WitnessRecord {
  seq: number;
  total: KindSum;
}

export interface WitnessReading {
  /** The newest whole slot, or null when there is no witness (or no whole slot). */
  newest: WitnessRecord | null;
  /** Set when a witness exists but no slot of it is whole. */
  damaged: string | null;
}

export interface WitnessHome {
  read(): WitnessReading;
  /** Throws StoreError('write_failed') when the witness cannot be written. */
  write(record: WitnessRecord): void;
  close(): void;
}

export function encodeSlot(record: WitnessRecord): Buffer {
  const slot = Buffer.alloc(SLOT_BYTES);
  slot.writeUInt32BE(MAGIC, 0);
  slot.writeDoubleBE(record.seq, 4);
  slot.writeDoubleBE(record.total.count, 12);
  for (let i = 0; i < LANES; i++) slot.writeUInt32BE(record.total.lanes[i]!, 20 + i * 4);
  slot.writeUInt32BE(crc32(slot.subarray(0, BODY_BYTES)), BODY_BYTES);
  return slot;
}

function decodeSlot(slot: Buffer): WitnessRecord | null {
  if (slot.length < BODY_BYTES + 4 || slot.readUInt32BE(0) !== MAGIC) return null;
  if (slot.readUInt32BE(BODY_BYTES) !== crc32(slot.subarray(0, BODY_BYTES))) return null;
  const seq = slot.readDoubleBE(4);
  const count = slot.readDoubleBE(12);
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(count)) return null;
  const lanes: number[] = [];
  for (let i = 0; i < LANES; i++) lanes.push(slot.readUInt32BE(20 + i * 4));
  return { seq, total: { count, lanes } };
}

export function readSlots(bytes: Buffer): WitnessReading {
  const slots = [decodeSlot(bytes.subarray(0, SLOT_BYTES)), decodeSlot(bytes.subarray(SLOT_BYTES, 2 * SLOT_BYTES))].filter((s): s is WitnessRecord => s !== null);
  if (slots.length === 0) return { newest: null, damaged: `neither slot of the witness is whole (${bytes.length} bytes)` };
  return { newest: slots.reduce((a, b) => (b.seq > a.seq ? b : a)), damaged: null };
}

/** The witness file of a classic store. The file is opened on the first write. */
export class FileWitness implements WitnessHome {
  readonly path: string;
  #fd: number | null = null;

  constructor(folder: string) {
    this.path = join(folder, WITNESS_FILE);
  }

  read(): WitnessReading {
    if (!existsSync(this.path)) return { newest: null, damaged: null };
    try {
      return readSlots(readFileSync(this.path));
    } catch (error) {
      return { newest: null, damaged: `the witness cannot be read: ${(error as Error).message}` };
    }
  }

  write(record: WitnessRecord): void {
    try {
      if (this.#fd === null) this.#fd = openSync(this.path, existsSync(this.path) ? 'r+' : 'w+');
      writeSync(this.#fd, encodeSlot(record), 0, SLOT_BYTES, (record.seq % 2) * SLOT_BYTES);
    } catch (error) {
      throw new StoreError('write_failed', `the witness ${this.path} cannot be written (the batch itself is durable): ${(error as Error).message}`, { cause: error });
    }
  }

  close(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }
}

/** A memory disk's witness: the same two slots, in a buffer that lives with the disk. */
export class MemoryWitness implements WitnessHome {
  constructor(private readonly home: { witness: Buffer | null }) {}

  read(): WitnessReading {
    return this.home.witness === null ? { newest: null, damaged: null } : readSlots(this.home.witness);
  }

  write(record: WitnessRecord): void {
    const bytes = this.home.witness ?? Buffer.alloc(2 * SLOT_BYTES);
    encodeSlot(record).copy(bytes, (record.seq % 2) * SLOT_BYTES);
    this.home.witness = bytes;
  }

  close(): void {}
}
