/**
 * The disk a checked system lives on: a MemoryDisk (fast, the default) or a classic-level folder
 * (for the benchmark and real crashes). Besides the location, the judge needs to read the
 * records while the power is off, and the damage fault needs to spoil one stored value in
 * place, as a bad sector would, below the store and its checksums.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { StoreLocation } from '../../restart-agent/index.ts';
import { MemoryDisk, openStore } from '../../store/index.ts';

/** Record kinds a damage fault may hit: those a boot reads and must quarantine, by key prefix. */
const DAMAGEABLE: Record<string, string> = { r: 'registration', o: 'object', s: 'storage', t: 'sturdy' };

export interface CheckDisk {
  readonly location: StoreLocation;
  /**
   * Flips bits of the `record`-th (modulo their number) damageable value; returns the record's
   * name as the store reports it ("registration 42"), or null when there is none to damage.
   */
  damage(record: number, byte: number, mask: number): Promise<string | null>;
  dispose(): Promise<void>;
}

type RawEntry = [string, Uint8Array];

function pick(entries: RawEntry[], record: number, byte: number, mask: number): { key: string; value: Uint8Array; name: string } | null {
  const candidates = entries.filter(([key]) => DAMAGEABLE[key[0] ?? ''] !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const chosen = candidates[record % Math.max(1, candidates.length)];
  if (chosen === undefined) return null;
  const [key, original] = chosen;
  const value = new Uint8Array(original);
  value[byte % value.length]! ^= mask;
  return { key, value, name: `${DAMAGEABLE[key[0] as string]} ${parseInt(key.slice(1), 16)}` };
}

export function memoryDisk(): CheckDisk {
  const disk = new MemoryDisk();
  return {
    location: { backend: 'memory', disk },
    async damage(record, byte, mask) {
      // A dying store may still be writing the batches the power loss kept.
      if (disk.closing !== null) await disk.closing;
      const hit = pick(await disk.rawEntries(), record, byte, mask);
      if (hit !== null) await disk.overwrite(hit.key, hit.value);
      return hit?.name ?? null;
    },
    dispose: async () => {},
  };
}

/** A fresh classic-level folder under the system's temporary directory, removed by dispose(). */
export async function classicDisk(): Promise<CheckDisk> {
  const dir = await mkdtemp(join(tmpdir(), 'capsim-check-'));
  const path = join(dir, 'store');
  return {
    location: { backend: 'classic', path },
    async damage(record, byte, mask) {
      // Opening through the store waits until the power-lost store has let go of the folder.
      await (await openStore({ backend: 'classic', path, create: false })).close();
      const db = new ClassicLevel<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' });
      await db.open();
      try {
        const entries: RawEntry[] = [];
        for await (const entry of db.iterator()) entries.push(entry as RawEntry);
        const hit = pick(entries, record, byte, mask);
        if (hit !== null) await db.put(hit.key, hit.value, { sync: true });
        return hit?.name ?? null;
      } finally {
        await db.close();
      }
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
