/**
 * Opening: a missing store, a folder that is not a capsim store, a store of another schema,
 * a damaged meta record and a store held by someone else each give their own clear error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryDisk, SCHEMA_VERSION, openStore } from '../../store/index.ts';
import { putMeta } from '../../store/keepers/meta.ts';

describe('opening a store', () => {
  const root = mkdtempSync(join(tmpdir(), 'capsim-open-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates a new store with a synced meta record, and reopens it', async () => {
    const path = join(root, 'nested', 'fresh');
    const store = await openStore({ path });
    expect(store.meta).toEqual({ schemaVersion: SCHEMA_VERSION, idHighWater: 1, bootCount: 0 });
    expect(await store.recordBoot()).toBe(1);
    await store.close();
    const again = await openStore({ path, create: false });
    expect(again.meta.bootCount).toBe(1);
    await again.close();
  });

  it('create:false on a missing folder or a fresh memory disk gives not_found', async () => {
    await expect(openStore({ path: join(root, 'missing'), create: false })).rejects.toMatchObject({ code: 'not_found' });
    await expect(openStore({ backend: 'memory', create: false })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a LevelDB that capsim did not write gives not_a_store', async () => {
    const path = join(root, 'foreign');
    const raw = new ClassicLevel<string, string>(path);
    await raw.put('hello', 'world');
    await raw.close();
    await expect(openStore({ path })).rejects.toMatchObject({ code: 'not_a_store' });
    const disk = new MemoryDisk();
    await disk.overwrite('hello', new Uint8Array([1]));
    await expect(openStore({ backend: 'memory', disk })).rejects.toMatchObject({ code: 'not_a_store' });
  });

  it('a folder of other files gives not_a_store and is left alone', async () => {
    const path = join(root, 'documents');
    mkdirSync(path);
    writeFileSync(join(path, 'notes.txt'), 'mine');
    await expect(openStore({ path })).rejects.toMatchObject({ code: 'not_a_store' });
  });

  it('a store of another schema version gives schema_mismatch, naming both versions', async () => {
    const disk = new MemoryDisk();
    const op = putMeta({ schemaVersion: SCHEMA_VERSION + 1, idHighWater: 10, bootCount: 0 });
    await disk.overwrite(op.key, op.value!);
    const error = await openStore({ backend: 'memory', disk }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'schema_mismatch', record: 'meta' });
    expect((error as Error).message).toMatch(new RegExp(`schema version ${SCHEMA_VERSION + 1}.*reads ${SCHEMA_VERSION}`));
    expect(disk.held).toBe(false);
  });

  it('values in another format give schema_mismatch; a damaged meta gives damaged', async () => {
    const disk = new MemoryDisk();
    const op = putMeta({ schemaVersion: SCHEMA_VERSION, idHighWater: 10, bootCount: 0 });
    const other = new Uint8Array(op.value!);
    other[0] = 9;
    await disk.overwrite(op.key, other);
    await expect(openStore({ backend: 'memory', disk })).rejects.toMatchObject({ code: 'schema_mismatch' });
    const flipped = new Uint8Array(op.value!);
    flipped[flipped.length - 1]! ^= 0xff;
    await disk.overwrite(op.key, flipped);
    await expect(openStore({ backend: 'memory', disk })).rejects.toMatchObject({ code: 'damaged', record: 'meta' });
  });

  it('a folder held open gives locked, not LevelDB\'s raw message; closing frees it', async () => {
    const path = join(root, 'held');
    const store = await openStore({ path });
    const error = await openStore({ path }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'locked' });
    expect((error as Error).message).toContain('open in another process');
    await store.close();
    const again = await openStore({ path });
    await again.close();
  });

  it('a memory disk held by an open Store gives locked', async () => {
    const store = await openStore({ backend: 'memory' });
    await expect(openStore({ backend: 'memory', disk: store.disk! })).rejects.toMatchObject({ code: 'locked' });
    await store.close();
    await (await openStore({ backend: 'memory', disk: store.disk! })).close();
  });

  it('refuses a group commit setting out of range', async () => {
    await expect(openStore({ backend: 'memory', groupCommit: 0 })).rejects.toMatchObject({ code: 'invalid' });
  });
});
