/**
 * A damaged value is caught by its checksum and named: get throws StoreError('damaged') with
 * the record's name, scan yields a DamagedRecord in its place, verifyStore lists it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryDisk, StoreError, isDamaged, openStore, verifyStore, type Store } from '../../store/index.ts';
import { assertProperty } from './seed.ts';

const registration = (id: number) => ({ id, program: 'echo', args: ['hello', id], caps: {}, policy: { mode: 'permanent' as const, intensity: 3, periodCranks: 100 }, generation: 0 });

/** One record of each kind. */
async function fill(store: Store): Promise<void> {
  const tx = store.begin();
  tx.putRegistration(registration(42));
  tx.putObject({ id: 43, kind: 'endpoint', owner: 42 });
  tx.putStorage({ id: 44, version: 1, data: { balance: 10 } });
  tx.putDirectory('bank/ledger', 44);
  const hash = tx.putBlock(new Uint8Array([1, 2, 3, 4]));
  tx.putCheckpoint(3, { blocks: [hash] });
  tx.putSnapshot('monday', { checkpoint: 3 });
  await store.commit(tx, { sync: true });
}

describe('damaged values are detected and named (memory backend)', () => {
  it('any flipped byte in any record is caught, named by get, scan and verifyStore', async () => {
    await assertProperty(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), async (which, at, mask) => {
        const disk = new MemoryDisk();
        const store = await openStore({ backend: 'memory', disk });
        await fill(store);
        await store.close();
        const entries = (await disk.rawEntries()).filter(([key]) => !key.startsWith('!'));
        const [key, value] = entries[which % entries.length]!;
        const damaged = new Uint8Array(value);
        damaged[at % damaged.length]! ^= mask;
        await disk.overwrite(key, damaged);

        const again = await openStore({ backend: 'memory', disk });
        const reads = await readers(again);
        const report = await verifyStore(again);
        // meta and the account record are read too.
        expect(report.records).toBe(entries.length + 2);
        expect(report.damaged).toHaveLength(1);
        // A damaged value is named as damaged, and its kind is not also called incomplete.
        expect(report.problems.map((p) => p.kind)).toEqual(['damaged']);
        const name = report.damaged[0]!.record;
        expect(reads.has(name)).toBe(true);
        const error = await reads.get(name)!().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StoreError);
        expect((error as StoreError).code).toBe('damaged');
        expect((error as StoreError).record).toBe(name);
        expect((error as Error).message).toContain(name);
        for (const [other, read] of reads) if (other !== name) await expect(read()).resolves.toBeDefined();
        await again.close();
      }),
      { numRuns: 200 },
    );
  });

  it('a scan yields the damaged record in place and goes on', async () => {
    const disk = new MemoryDisk();
    const store = await openStore({ backend: 'memory', disk });
    const tx = store.begin();
    for (const id of [1, 2, 3]) tx.putRegistration(registration(id));
    await store.commit(tx, { sync: true });
    await store.close();
    const [key, value] = (await disk.rawEntries()).filter(([k]) => !k.startsWith('!'))[1]!;
    const damaged = new Uint8Array(value);
    damaged[damaged.length - 1]! ^= 0x40;
    await disk.overwrite(key, damaged);
    const again = await openStore({ backend: 'memory', disk });
    const scanned = [];
    for await (const r of again.registrations.scan()) scanned.push(isDamaged(r) ? r.record : r.id);
    expect(scanned).toEqual([1, 'registration 2', 3]);
    await again.close();
  });

  it('a value that lands under another key is caught (the key is in the checksum)', async () => {
    const disk = new MemoryDisk();
    const store = await openStore({ backend: 'memory', disk });
    const tx = store.begin();
    tx.putRegistration(registration(1));
    tx.putRegistration(registration(2));
    await store.commit(tx, { sync: true });
    await store.close();
    const [[, first], [secondKey]] = (await disk.rawEntries()).filter(([k]) => !k.startsWith('!')) as [[string, Uint8Array], [string, Uint8Array]];
    await disk.overwrite(secondKey, first);
    const again = await openStore({ backend: 'memory', disk });
    await expect(again.registrations.get(2)).rejects.toMatchObject({ code: 'damaged', record: 'registration 2' });
    await again.close();
  });

  it('verifyStore names a key that no record kind owns', async () => {
    const disk = new MemoryDisk();
    const store = await openStore({ backend: 'memory', disk });
    await store.close();
    await disk.overwrite('zz-stray', new Uint8Array([1, 2, 3]));
    const again = await openStore({ backend: 'memory', disk });
    const report = await verifyStore(again);
    expect(report.damaged).toEqual([{ record: 'unknown key "zz-stray"', reason: 'no record kind owns this key' }]);
    await again.close();
  });
});

/** How to read back each record fill() wrote, by its name. */
async function readers(store: Store): Promise<Map<string, () => Promise<unknown>>> {
  let hash = '';
  for await (const b of store.blocks.scan()) hash = isDamaged(b) ? b.record.slice('block '.length) : b.hash;
  return new Map<string, () => Promise<unknown>>([
    ['registration 42', () => store.registrations.get(42)],
    ['object 43', () => store.objects.get(43)],
    ['storage 44', () => store.storage.get(44)],
    ['directory "bank/ledger"', () => store.directory.get('bank/ledger')],
    [`block ${hash}`, () => store.blocks.get(hash)],
    ['checkpoint 3', () => store.checkpoints.get(3)],
    ['snapshot "monday"', () => store.snapshots.get('monday')],
  ]);
}

describe('damaged values in a real folder (classic-level)', () => {
  const root = mkdtempSync(join(tmpdir(), 'capsim-damage-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a byte flipped in the LevelDB folder is named by verifyStore and get', async () => {
    const path = join(root, 'flip');
    const store = await openStore({ path });
    await fill(store);
    await store.close();
    const raw = new ClassicLevel<string, Uint8Array>(path, { valueEncoding: 'view' });
    let victim: [string, Uint8Array] | undefined;
    for await (const entry of raw.iterator()) if (!entry[0].startsWith('!') && victim === undefined) victim = entry;
    const bytes = new Uint8Array(victim![1]);
    bytes[bytes.length >> 1]! ^= 0x01;
    await raw.put(victim![0], bytes, { sync: true });
    await raw.close();

    const again = await openStore({ path, create: false });
    const report = await verifyStore(again);
    expect(report.damaged).toHaveLength(1);
    expect(report.damaged[0]!.reason).toMatch(/checksum mismatch/);
    const reads = await readers(again);
    await expect(reads.get(report.damaged[0]!.record)!()).rejects.toMatchObject({ code: 'damaged', record: report.damaged[0]!.record });
    await again.close();
  });
});
