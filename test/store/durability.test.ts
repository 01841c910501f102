/**
 * Durability and atomicity against a model. Random batches (each writes several storage
 * records stamped with its batch number, and deletes some), random sync points, then a power
 * loss that keeps a chosen prefix of the unsynced batches, or a process kill. After reopening,
 * the store must hold exactly: every synced batch, plus the kept prefix (power loss) or every
 * acknowledged batch (kill), each whole, and nothing else.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryDisk, isDamaged, openStore, type OpenOptions, type Store } from '../../store/index.ts';
import { assertProperty } from './seed.ts';

const IDS = 12;

interface BatchStep {
  sync: boolean;
  puts: number[];
  dels: number[];
}
type Ending = { kind: 'power'; keep: number } | { kind: 'kill' };
interface Round {
  steps: BatchStep[];
  ending: Ending;
}

const batchStep: fc.Arbitrary<BatchStep> = fc.record({
  sync: fc.boolean(),
  puts: fc.uniqueArray(fc.integer({ min: 1, max: IDS }), { minLength: 1, maxLength: 4 }),
  dels: fc.uniqueArray(fc.integer({ min: 1, max: IDS }), { maxLength: 2 }),
});
const ending: fc.Arbitrary<Ending> = fc.oneof(fc.record({ kind: fc.constant('power' as const), keep: fc.nat(6) }), fc.constant({ kind: 'kill' as const }));
const rounds = fc.array(fc.record({ steps: fc.array(batchStep, { maxLength: 8 }), ending }), { minLength: 1, maxLength: 4 });

/** id → stamp of the batch that last wrote it (the model of the disk). */
type Model = Map<number, number>;

function apply(model: Model, batch: BatchStep, stamp: number): void {
  for (const id of batch.puts) if (!batch.dels.includes(id)) model.set(id, stamp);
  for (const id of batch.dels) model.delete(id);
}

/**
 * The model of group commit too: sync:false commits are held until `group` are held, then form
 * one backend batch; a sync commit writes the held ones and itself, durably.
 */
class DiskModel {
  durable: Model = new Map();
  unsynced: { batch: BatchStep; stamp: number }[][] = [];
  held: { batch: BatchStep; stamp: number }[] = [];
  constructor(private readonly group: number) {}

  commit(batch: BatchStep, stamp: number): void {
    this.held.push({ batch, stamp });
    if (batch.sync) {
      for (const backendBatch of [...this.unsynced, this.held]) for (const { batch: b, stamp: s } of backendBatch) apply(this.durable, b, s);
      this.unsynced = [];
      this.held = [];
    } else if (this.held.length >= this.group) {
      this.unsynced.push(this.held);
      this.held = [];
    }
  }

  end(e: Ending): void {
    const kept = e.kind === 'kill' ? this.unsynced : this.unsynced.slice(0, e.keep);
    for (const backendBatch of kept) for (const { batch, stamp } of backendBatch) apply(this.durable, batch, stamp);
    this.unsynced = [];
    this.held = [];
  }
}

async function writeBatch(store: Store, batch: BatchStep, stamp: number): Promise<void> {
  const tx = store.begin();
  // A batch writes several records under one stamp: a batch there in part shows as mixed stamps.
  for (const id of batch.puts) tx.putStorage({ id, version: stamp, data: { stamp, id } });
  for (const id of batch.dels) tx.deleteStorage(id);
  await store.commit(tx, { sync: batch.sync });
}

async function contents(store: Store): Promise<Model> {
  const seen: Model = new Map();
  for await (const record of store.storage.scan()) {
    if (isDamaged(record)) throw new Error(`damaged: ${record.record}: ${record.reason}`);
    expect(record.data).toEqual({ stamp: record.version, id: record.id });
    seen.set(record.id, record.version);
  }
  return seen;
}

async function runRounds(open: (create: boolean) => Promise<Store>, plan: Round[], group: number): Promise<void> {
  const model = new DiskModel(group);
  let stamp = 0;
  let store = await open(true);
  for (const round of plan) {
    for (const step of round.steps) {
      await writeBatch(store, step, ++stamp);
      model.commit(step, stamp);
      expect(store.faults!.unsyncedBatches).toBe(model.unsynced.length);
    }
    if (round.ending.kind === 'kill') store.faults!.processKill();
    else store.faults!.powerLoss({ keepBatches: round.ending.keep });
    model.end(round.ending);
    await expect(store.storage.get(1)).rejects.toMatchObject({ code: 'closed' });
    store = await open(false);
    expect(await contents(store)).toEqual(model.durable);
  }
  await store.close();
}

describe('durability and atomicity after power loss (memory backend)', () => {
  for (const group of [1, 3]) {
    it(`exactly the synced batches plus the kept prefix survive (group commit ${group})`, async () => {
      await assertProperty(
        fc.asyncProperty(rounds, async (plan) => {
          const disk = new MemoryDisk();
          await runRounds((create) => openStore({ backend: 'memory', disk, faults: true, create, groupCommit: group }), plan, group);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('reads see unsynced batches before the power loss, as LevelDB does', async () => {
    const store = await openStore({ backend: 'memory', faults: true });
    await writeBatch(store, { sync: true, puts: [1, 2], dels: [] }, 1);
    await writeBatch(store, { sync: false, puts: [2, 3], dels: [1] }, 2);
    expect(await contents(store)).toEqual(new Map([[2, 2], [3, 2]]));
    expect(await store.storage.get(1)).toBeUndefined();
    expect((await store.storage.get(3))?.version).toBe(2);
    store.faults!.powerLoss();
    const again = await openStore({ backend: 'memory', disk: store.disk!, faults: true });
    expect(await contents(again)).toEqual(new Map([[1, 1], [2, 1]]));
    await again.close();
  });

  it('close() writes what group commit holds, through the fault layer', async () => {
    const store = await openStore({ backend: 'memory', faults: true, groupCommit: 3 });
    await writeBatch(store, { sync: false, puts: [1, 2], dels: [] }, 1);
    await store.close();
    const again = await openStore({ backend: 'memory', disk: store.disk!, faults: true });
    expect(await contents(again)).toEqual(new Map([[1, 1], [2, 1]]));
    await again.close();
  });

  it('flush({ sync: true }) makes earlier unsynced batches durable', async () => {
    const store = await openStore({ backend: 'memory', faults: true, groupCommit: 4 });
    await writeBatch(store, { sync: false, puts: [1], dels: [] }, 1);
    expect(await store.storage.get(1)).toBeUndefined(); // held by group commit, not yet written
    await store.flush({ sync: false });
    expect(store.faults!.unsyncedBatches).toBe(1);
    await store.flush({ sync: true });
    expect(store.faults!.unsyncedBatches).toBe(0);
    store.faults!.powerLoss();
    const again = await openStore({ backend: 'memory', disk: store.disk!, faults: true });
    expect((await again.storage.get(1))?.version).toBe(1);
    await again.close();
  });
});

describe('durability on a real folder through the fault layer (classic-level)', () => {
  const root = mkdtempSync(join(tmpdir(), 'capsim-durability-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;

  it('exactly the synced batches plus the kept prefix survive, reopening at once', async () => {
    await assertProperty(
      fc.asyncProperty(rounds, async (plan) => {
        const path = join(root, `run-${n++}`);
        const options = (create: boolean): OpenOptions => ({ path, faults: true, create });
        await runRounds((create) => openStore(options(create)), plan, 1);
      }),
      { numRuns: 25 },
    );
  });
});
