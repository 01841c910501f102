import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { Ctx, ObjectId } from '../../../kernel/index.ts';
import { Lab } from '../support/lab.ts';
import { propertyParams } from '../support/seed.ts';

/**
 * Producers flood one consumer: each delivery to a producer makes it tick itself and send the
 * consumer as much as the kernel accepts. The consumer may forward each message to a sink, which
 * charges the producer's account again (fan-out).
 */
function build(producers: number, forward: boolean, limits: { account_debt_max: number; sends_per_crank_max: number; queue_length_max: number }): { lab: Lab; producerPids: ObjectId[] } {
  const lab = new Lab({ limits });
  const burst = (ctx: Ctx): void => {
    try {
      ctx.send(1, 'tick');
      for (let i = 0; i < 100; i++) ctx.send(0, i);
    } catch {
      // queue_full or too_many_sends: slowed down
    }
  };
  lab.spawn('sink');
  lab.endpoint('sink', 0);
  lab.spawn('consumer', { receive: (ctx) => {
    if (!forward) return;
    try {
      ctx.send(1, 'onward');
    } catch {
      // the sink's queue is full: drop
    }
  } });
  lab.endpoint('consumer', 0);
  lab.grant('sink', 0, 'consumer', { slot: 1 });
  const producerPids: ObjectId[] = [];
  for (let i = 0; i < producers; i++) {
    producerPids.push(lab.spawn(`producer${i}`, { init: burst, receive: burst }));
    lab.grant('consumer', 0, `producer${i}`, { slot: 0, badge: i + 1 });
    lab.endpoint(`producer${i}`, 1);
  }
  lab.kernel.startAll();
  return { lab, producerPids };
}

describe('a flood (I12)', () => {
  test('keeps every queue within its bound and every producer\'s debt within debt max + sends per crank', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.record({ account_debt_max: fc.integer({ min: 1, max: 8 }), sends_per_crank_max: fc.integer({ min: 2, max: 6 }), queue_length_max: fc.integer({ min: 1, max: 12 }) }),
        fc.integer({ min: 50, max: 400 }),
        (producers, forward, limits, cranks) => {
          const { lab, producerPids } = build(producers, forward, limits);
          const k = lab.kernel;
          for (let i = 0; i < cranks; i++) {
            if (k.step() === null) break;
            for (const o of k.objects.values()) if (o.kind === 'endpoint') expect(o.pending).toBeLessThanOrEqual(limits.queue_length_max);
            for (const pid of producerPids) expect(k.process(pid).debt).toBeLessThanOrEqual(limits.account_debt_max + limits.sends_per_crank_max);
          }
          expect(lab.deliveries('consumer').length).toBeGreaterThan(0);
        },
      ),
      propertyParams(100),
    );
  });
});
