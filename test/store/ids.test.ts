/**
 * I6: ObjectIds are never reused, across any number of power losses and kills, whatever was
 * committed or lost in between.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ID_BLOCK, MemoryDisk, openStore } from '../../store/index.ts';
import { assertProperty } from './seed.ts';

const step = fc.oneof(
  fc.record({ reserve: fc.integer({ min: 1, max: 3 * ID_BLOCK }) }),
  fc.record({ commit: fc.boolean() }),
);
const life = fc.record({ steps: fc.array(step, { maxLength: 6 }), end: fc.constantFrom('power', 'kill', 'close'), keep: fc.nat(3) });

describe('ObjectIds are unique across power losses', () => {
  it('no ID is handed out twice over many lives of one disk', async () => {
    await assertProperty(
      fc.asyncProperty(fc.array(life, { minLength: 1, maxLength: 6 }), async (lives) => {
        const disk = new MemoryDisk();
        const seen: [number, number][] = [];
        let boots = 0;
        for (const { steps, end, keep } of lives) {
          const store = await openStore({ backend: 'memory', disk, faults: true });
          expect(await store.recordBoot()).toBe(++boots);
          for (const s of steps) {
            if ('reserve' in s) {
              const range = await store.reserveIds(s.reserve);
              expect(range.end - range.first).toBe(s.reserve);
              expect(range.first).toBeGreaterThanOrEqual(1);
              expect(range.end).toBeLessThanOrEqual(store.meta.idHighWater);
              seen.push([range.first, range.end]);
            } else {
              const tx = store.begin();
              tx.putObject({ id: 1, kind: 'endpoint', owner: null });
              await store.commit(tx, { sync: s.commit });
            }
          }
          if (end === 'power') store.faults!.powerLoss({ keepBatches: keep });
          else if (end === 'kill') store.faults!.processKill();
          else await store.close();
        }
        const sorted = [...seen].sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < sorted.length; i++) expect(sorted[i]![0]).toBeGreaterThanOrEqual(sorted[i - 1]![1]);
      }),
      { numRuns: 150 },
    );
  });

  it('one raise of the high-water mark covers a whole block of IDs', async () => {
    const store = await openStore({ backend: 'memory', faults: true });
    const a = await store.reserveIds(1);
    const mark = store.meta.idHighWater;
    const b = await store.reserveIds(ID_BLOCK - 1);
    expect(store.meta.idHighWater).toBe(mark);
    expect(b.first).toBe(a.end);
    await store.close();
  });

  it('concurrent reservations never overlap', async () => {
    const store = await openStore({ backend: 'memory' });
    const ranges = await Promise.all(Array.from({ length: 20 }, (_, i) => store.reserveIds(1 + i * 700)));
    const sorted = ranges.sort((x, y) => x.first - y.first);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.first).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
    await store.close();
  });

  it('refuses a reservation of zero or of a fraction', async () => {
    const store = await openStore({ backend: 'memory' });
    await expect(store.reserveIds(0)).rejects.toMatchObject({ code: 'invalid' });
    await expect(store.reserveIds(1.5)).rejects.toMatchObject({ code: 'invalid' });
    await store.close();
  });
});
