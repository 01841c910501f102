import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { exportState, importState, CounterAllocator } from '../../../kernel/index.ts';
import { openStore, MemoryDisk, type Store } from '../../../store/index.ts';
import { CheckpointWriter } from '../../../restart-agent/checkpoint/writer.ts';
import { writeCheckpoint } from '../../../restart-agent/checkpoint/write.ts';
import { readNewestCheckpoint } from '../../../restart-agent/checkpoint/restore.ts';
import { stepArb, worldSpecArb } from '../../kernel/support/ops.ts';
import { propertyParams } from '../../support/seed.ts';
import { World } from '../../kernel/support/world.ts';

const PROCESSES = 3;

async function restoreFrom(store: Store, world: World) {
  const { read } = await readNewestCheckpoint(store);
  if (read === null) throw new Error('no checkpoint read back');
  const highWater = (world.kernel.allocator as CounterAllocator).highWater;
  return { kernel: importState(read.state, { ...world.lab.importOptions(), allocator: new CounterAllocator(highWater) }), read };
}

describe('checkpoint equivalence (I10)', () => {
  test('each incremental checkpoint restores to the kernel as it was when taken, and both continue alike', async () => {
    await fc.assert(
      fc.asyncProperty(
        worldSpecArb(PROCESSES),
        fc.array(fc.array(stepArb(PROCESSES), { minLength: 0, maxLength: 12 }), { minLength: 1, maxLength: 5 }),
        fc.array(stepArb(PROCESSES), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        async (spec, segments, after, seed) => {
          const store = await openStore({ backend: 'memory', disk: new MemoryDisk(), create: true });
          try {
            const world = new World(spec, { schedule: 'seeded', seed });
            const writer = new CheckpointWriter();
            for (const segment of segments) {
              for (const step of segment) world.apply(step);
              const prepared = writer.prepare(world.kernel, { crank: world.kernel.crankCount, policies: new Map() });
              await writeCheckpoint(store, prepared);
              writer.lastSeq = prepared.manifest.seq;
              const { kernel } = await restoreFrom(store, world);
              expect(exportState(kernel)).toEqual(exportState(world.kernel));
            }
            const { kernel } = await restoreFrom(store, world);
            const copy = new World(spec, { schedule: 'seeded', seed });
            copy.adopt(kernel);
            for (const step of after) {
              world.apply(step);
              copy.apply(step);
            }
            expect(copy.kernel.trace.hash).toBe(world.kernel.trace.hash);
            expect(exportState(copy.kernel)).toEqual(exportState(world.kernel));
          } finally {
            await store.close();
          }
        },
      ),
      propertyParams(60),
    );
  });
});

describe('writers and the notes they leave on objects', () => {
  test('a second writer on the same kernel encodes every object: another writer’s notes count for nothing', () => {
    const world = new World({ persistent: [false, false], links: [[{ rights: 7, badge: 0 }, { rights: 7, badge: 0 }], [{ rights: 7, badge: 0 }, { rights: 7, badge: 0 }]] } as never, { schedule: 'seeded', seed: 1 });
    const a = new CheckpointWriter();
    const first = a.prepare(world.kernel, { crank: 0, policies: new Map() });
    expect(first.manifest.encoded).toBe(world.kernel.objects.size);
    expect(a.prepare(world.kernel, { crank: 0, policies: new Map() }).manifest.encoded).toBe(0);
    const b = new CheckpointWriter();
    expect(b.prepare(world.kernel, { crank: 0, policies: new Map() }).manifest.encoded).toBe(world.kernel.objects.size);
    // And after a reset, a writer forgets its own.
    a.reset();
    expect(a.prepare(world.kernel, { crank: 0, policies: new Map() }).manifest.encoded).toBe(world.kernel.objects.size);
  });
});
