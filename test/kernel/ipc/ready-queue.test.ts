/**
 * The scheduler's ready queue, in fifo mode, against a plain array: any mix of processes made
 * ready, taken and removed comes out in the order the array says, across the queue's resets
 * to empty and its compactions, and export (order) shows the same.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../../support/seed.ts';
import { Scheduler } from '../../../kernel/ipc/scheduler.ts';
import type { Process } from '../../../kernel/objects/process.ts';
import { Rng } from '../../../kernel/rng.ts';

/** Only what the scheduler reads of a process: always runnable, never in debt. */
function fakeProcess(id: number): Process {
  return { id, scheduled: false, runnable: true, debt: 0 } as unknown as Process;
}

describe('the ready queue', () => {
  test('serves processes in the order they became ready, under any mix of readies, takes and removals', async () => {
    const op = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 150 }).map((n) => ({ ready: n })) },
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 150 }).map((n) => ({ take: n })) },
      { weight: 1, arbitrary: fc.nat().map((n) => ({ remove: n })) },
    );
    await assertProperty(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const scheduler = new Scheduler('fifo', new Rng(1), 100);
        const model: Process[] = [];
        let next = 0;
        const ignore = (): void => undefined;
        for (const o of ops) {
          if ('ready' in o) {
            for (let i = 0; i < o.ready; i++) {
              const p = fakeProcess(next++);
              scheduler.notify(p);
              model.push(p);
            }
          } else if ('take' in o) {
            for (let i = 0; i < o.take; i++) expect(scheduler.next(ignore)?.id ?? null).toBe(model.shift()?.id ?? null);
          } else if (model.length > 0) {
            const [p] = model.splice(o.remove % model.length, 1) as [Process];
            scheduler.remove(p);
          }
          expect(scheduler.order().ready.map((p) => p.id)).toEqual(model.map((p) => p.id));
        }
      }),
      { numRuns: 200, replay: 'npx vitest run test/kernel/ipc/ready-queue.test.ts' },
    );
  });
});
