/**
 * Round trips for every record kind: what a transaction puts, a reopened store reads back equal,
 * by get and by scan; a delete removes it. Bad records are refused before anything is written.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryDisk, StoreError, isDamaged, openStore, type Store } from '../../store/index.ts';
import { name, objectId, objectRecord, plainData, registration, storageRecord } from './arbitraries.ts';
import { assertProperty } from './seed.ts';

/** Commits `write` on a fresh disk, reopens it, and hands the reopened store to `check`. */
async function roundTrip(write: (tx: ReturnType<Store['begin']>) => void, check: (store: Store) => Promise<void>): Promise<void> {
  const disk = new MemoryDisk();
  const first = await openStore({ backend: 'memory', disk });
  const tx = first.begin();
  write(tx);
  await first.commit(tx, { sync: true });
  await first.close();
  const again = await openStore({ backend: 'memory', disk, create: false });
  try {
    await check(again);
  } finally {
    await again.close();
  }
}

async function collect<T>(scan: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of scan) out.push(item);
  return out;
}

describe('record round trips (memory backend, reopened)', () => {
  it('registrations come back equal, by get and by scan, in id order', async () => {
    await assertProperty(
      fc.asyncProperty(fc.uniqueArray(registration, { selector: (r) => r.id, maxLength: 5 }), async (records) => {
        await roundTrip(
          (tx) => records.forEach((r) => tx.putRegistration(r)),
          async (store) => {
            for (const r of records) expect(await store.registrations.get(r.id)).toEqual(r);
            expect(await collect(store.registrations.scan())).toEqual([...records].sort((a, b) => a.id - b.id));
            expect(await store.registrations.count()).toBe(records.length);
          },
        );
      }),
      { numRuns: 60 },
    );
  });

  it('objects and storage come back equal', async () => {
    await assertProperty(
      fc.asyncProperty(objectRecord, storageRecord, async (o, s) => {
        await roundTrip(
          (tx) => {
            tx.putObject(o);
            tx.putStorage(s);
          },
          async (store) => {
            expect(await store.objects.get(o.id)).toEqual(o);
            expect(await store.storage.get(s.id)).toEqual(s);
            expect(await collect(store.storage.scan())).toEqual([s]);
          },
        );
      }),
      { numRuns: 80 },
    );
  });

  it('directory entries, checkpoints, snapshots and blocks come back equal', async () => {
    await assertProperty(
      fc.asyncProperty(name, objectId, fc.nat(), plainData, name, plainData, fc.uint8Array({ maxLength: 300 }), async (path, id, seq, manifest, snap, record, bytes) => {
        let hash = '';
        await roundTrip(
          (tx) => {
            tx.putDirectory(path, id);
            tx.putCheckpoint(seq, manifest);
            tx.putSnapshot(snap, record);
            hash = tx.putBlock(bytes);
          },
          async (store) => {
            expect(await store.directory.get(path)).toBe(id);
            expect(await collect(store.directory.scan())).toEqual([{ path, id }]);
            expect(await store.checkpoints.get(seq)).toEqual(manifest);
            expect(await store.snapshots.get(snap)).toEqual(record);
            expect(await store.blocks.get(hash)).toEqual(bytes);
            expect(await store.blocks.has(hash)).toBe(true);
          },
        );
      }),
      { numRuns: 80 },
    );
  });

  it('directory scans come out in UTF-8 byte order of their paths', async () => {
    await assertProperty(
      fc.asyncProperty(fc.uniqueArray(name, { maxLength: 8 }), async (paths) => {
        await roundTrip(
          (tx) => paths.forEach((p, i) => tx.putDirectory(p, i)),
          async (store) => {
            const scanned = (await collect(store.directory.scan())).map((e) => (isDamaged(e) ? '' : e.path));
            const expected = [...paths].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
            expect(scanned).toEqual(expected);
          },
        );
      }),
      { numRuns: 50 },
    );
  });

  it('deletes remove exactly the record named', async () => {
    await assertProperty(
      fc.asyncProperty(fc.uniqueArray(registration, { selector: (r) => r.id, minLength: 1, maxLength: 4 }), async (records) => {
        const [gone, ...kept] = records;
        await roundTrip(
          (tx) => {
            records.forEach((r) => tx.putRegistration(r));
            tx.deleteRegistration(gone!.id);
          },
          async (store) => {
            expect(await store.registrations.get(gone!.id)).toBeUndefined();
            expect(await store.registrations.count()).toBe(kept.length);
          },
        );
      }),
      { numRuns: 30 },
    );
  });
});

describe('records are validated before they are added', () => {
  const good = { id: 7, program: 'echo', args: [], caps: {}, policy: { mode: 'permanent', intensity: 1, periodCranks: 10 }, generation: 0 } as const;
  const bad: [string, unknown][] = [
    ['a negative id', { ...good, id: -1 }],
    ['a fractional id', { ...good, id: 1.5 }],
    ['an empty program', { ...good, program: '' }],
    ['a function in args', { ...good, args: [() => 1] }],
    ['a non-finite number in args', { ...good, args: [Infinity] }],
    ['a class instance in args', { ...good, args: [new Date()] }],
    ['an unknown restart mode', { ...good, policy: { ...good.policy, mode: 'sometimes' } }],
    ['a cap of unknown kind', { ...good, caps: { a: { target: 1, kind: 'socket', rights: 1, badge: 0, capId: 2 } } }],
    ['rights out of range', { ...good, caps: { a: { target: 1, kind: 'endpoint', rights: 1 << 20, badge: 0, capId: 2 } } }],
    ['a lone surrogate in the program name', { ...good, program: 'x\uD800' }],
  ];
  for (const [what, record] of bad) {
    it(`refuses a registration with ${what}, adding nothing`, async () => {
      const store = await openStore({ backend: 'memory' });
      const tx = store.begin();
      const error = (() => {
        try {
          tx.putRegistration(record as never);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe('invalid');
      expect(tx.size).toBe(0);
      await store.close();
    });
  }

  it('refuses data nested past the depth bound', async () => {
    const store = await openStore({ backend: 'memory' });
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => store.begin().putStorage({ id: 1, version: 0, data: deep as never })).toThrow(/nested deeper/);
    await store.close();
  });

  it('refuses a transaction committed twice', async () => {
    const store = await openStore({ backend: 'memory' });
    const tx = store.begin();
    tx.putObject({ id: 1, kind: 'endpoint', owner: null });
    await store.commit(tx, { sync: false });
    await expect(store.commit(tx, { sync: false })).rejects.toMatchObject({ code: 'invalid' });
    expect(() => tx.putObject({ id: 2, kind: 'endpoint', owner: null })).toThrow(StoreError);
    await store.close();
  });

  it('refuses a commit that does not say whether to sync', async () => {
    const store = await openStore({ backend: 'memory' });
    await expect(store.commit(store.begin(), {} as never)).rejects.toMatchObject({ code: 'invalid' });
    await store.close();
  });
});

describe('a block with a hash its writer computed', () => {
  it('is refused when that hash is not the hash of the bytes', async () => {
    const store = await openStore({ backend: 'memory', disk: new MemoryDisk() });
    const tx = store.begin();
    const right = tx.putBlock(new Uint8Array([1, 2, 3]));
    expect(() => tx.putBlock(new Uint8Array([1, 2, 4]), right)).toThrow(StoreError);
    expect(() => tx.putBlock(new Uint8Array([1, 2, 4]), right)).toThrow(/hash does not match the bytes/);
    await store.close();
  });
});
