/**
 * Real classic-level stores of the bank example, and the damage a disk or an operator does to
 * them: bytes flipped in a value, a record deleted, bytes written into or cut off LevelDB's
 * .log and .ldb files, the files put back to an older state. Tests build keys here only to
 * damage a store from outside, as a bad disk would.
 */
import { cpSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { EXAMPLES } from '../../examples/index.ts';
import { System, type BuiltInModelName } from '../../restart-agent/index.ts';
import { Rng } from '../../kernel/index.ts';
import { WITNESS_FILE } from '../../store/index.ts';

export const bank = EXAMPLES.bank!;

/** A bank store run `cranks` cranks, every commit synced, closed; its data still in LevelDB's log. */
export async function makeBankStore(path: string, model: BuiltInModelName, cranks = 30): Promise<void> {
  const system = await System.create({ spec: bank, store: { backend: 'classic', path }, model, syncEvery: 1, checkpointEvery: 5, seed: 3 });
  await system.run(cranks);
  await system.close();
}

/** Opens and closes the folder with plain classic-level: LevelDB replays its log into an .ldb table. */
export async function settle(path: string): Promise<void> {
  const db = new ClassicLevel<string, Uint8Array>(path, { valueEncoding: 'view' });
  await db.open();
  await db.close();
}

export type Entries = Map<string, string>;

/** Every key and value as LevelDB returns them now (values hex), or null when LevelDB cannot read them all. */
export async function rawEntries(path: string): Promise<Entries | null> {
  const db = new ClassicLevel<string, Uint8Array>(path, { valueEncoding: 'view' });
  try {
    await db.open();
    const out: Entries = new Map();
    for await (const [key, value] of db.iterator()) out.set(key, Buffer.from(value).toString('hex'));
    return out;
  } catch {
    return null;
  } finally {
    await db.close().catch(() => undefined);
  }
}

export function sameEntries(a: Entries | null, b: Entries | null): boolean {
  if (a === null || b === null || a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

export async function withRaw<T>(path: string, use: (db: ClassicLevel<string, Uint8Array>) => Promise<T>): Promise<T> {
  const db = new ClassicLevel<string, Uint8Array>(path, { valueEncoding: 'view' });
  await db.open();
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

/** The keys of one record kind, by its one-character prefix (r, o, s, d, b, c, n). */
export async function keysOf(path: string, prefix: string): Promise<string[]> {
  return withRaw(path, async (db) => {
    const keys: string[] = [];
    for await (const key of db.keys({ gte: prefix, lt: String.fromCharCode(prefix.charCodeAt(0) + 1) })) keys.push(key);
    return keys;
  });
}

export async function deleteKey(path: string, key: string): Promise<void> {
  await withRaw(path, (db) => db.del(key, { sync: true } as never));
}

/** Flips one bit of the value under `key`, in the middle of its body. */
export async function flipValue(path: string, key: string): Promise<void> {
  await withRaw(path, async (db) => {
    const value = new Uint8Array((await db.get(key))!);
    value[Math.max(5, value.length >> 1)]! ^= 0x10;
    await db.put(key, value, { sync: true } as never);
  });
}

/** LevelDB's own files of one kind: '.log' (the write-ahead log) or '.ldb' (tables). */
export function filesOf(path: string, ending: '.log' | '.ldb'): string[] {
  return readdirSync(path)
    .filter((f) => f.endsWith(ending))
    .map((f) => join(path, f))
    .filter((f) => statSync(f).size > 0);
}

/** Writes `length` seeded random bytes into a file at a seeded offset. */
export function scribble(file: string, seed: number, length = 40): { at: number } {
  const rng = new Rng(seed);
  const bytes = readFileSync(file);
  const at = rng.nextU32() % Math.max(1, bytes.length - length);
  for (let i = 0; i < length && at + i < bytes.length; i++) bytes[at + i] = rng.nextU32() & 0xff;
  writeFileSync(file, bytes);
  return { at };
}

/** Cuts a file at a seeded length (at least one byte shorter). */
export function truncate(file: string, seed: number): { to: number } {
  const size = statSync(file).size;
  const to = new Rng(seed).nextU32() % size;
  truncateSync(file, to);
  return { to };
}

/** Copies a store folder (its witness too). */
export function copyStore(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
}

/** Puts LevelDB's files of `older` back into `path`, keeping `path`'s witness: a rollback of its synced tail. */
export function rollBackTo(path: string, older: string): void {
  const witness = readFileSync(join(path, WITNESS_FILE));
  copyStore(older, path);
  writeFileSync(join(path, WITNESS_FILE), witness);
}
