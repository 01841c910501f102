import { describe, expect, test } from 'vitest';
import type { ScheduleMode } from '../../kernel/index.ts';
import { Lab } from './support/lab.ts';

/** Five senders each send three messages to one sink; returns the order the sink saw (by badge). */
function order(schedule: ScheduleMode, seed: number): string {
  const lab = new Lab({ schedule, seed });
  lab.spawn('sink');
  const sink = lab.endpoint('sink', 0);
  for (let s = 1; s <= 5; s++) {
    lab.spawn(`s${s}`, { init: (ctx) => ctx.send(1, 'kick'), receive: (ctx, _m, state) => {
      const n = (state as number | null) ?? 0;
      if (n < 3) {
        ctx.send(0, n);
        ctx.send(1, 'again');
      }
      return n + 1;
    } });
    lab.grant('sink', sink.slot, `s${s}`, { slot: 0, badge: s });
    lab.endpoint(`s${s}`, 1);
  }
  lab.kernel.startAll();
  lab.kernel.run();
  return lab.deliveries('sink').map((m) => m.badge).join('');
}

describe('scheduler', () => {
  test('fifo serves ready processes round robin, the same for every seed', () => {
    expect(order('fifo', 1)).toBe('123451234512345');
    expect(order('fifo', 99)).toBe(order('fifo', 1));
  });

  test('seeded mode gives the same order for the same seed', () => {
    for (const seed of [1, 2, 3]) expect(order('seeded', seed)).toBe(order('seeded', seed));
  });

  test('seeded mode explores different orders for different seeds', () => {
    const orders = new Set<string>();
    for (let seed = 1; seed <= 10; seed++) orders.add(order('seeded', seed));
    expect(orders.size).toBeGreaterThan(3);
    for (const o of orders) expect([...o].sort().join('')).toBe('111222333444555');
  });

  test('step returns null and run returns 0 when nothing is runnable', () => {
    const lab = new Lab();
    lab.spawn('idle');
    lab.kernel.startAll();
    expect(lab.kernel.step()).toBeNull();
    expect(lab.kernel.run()).toBe(0);
  });

  test('run stops at the crank bound it is given', () => {
    const lab = new Lab();
    lab.spawn('loop', { init: (ctx) => ctx.send(ctx.createEndpoint(), 0), receive: (ctx) => ctx.send(0, 0) });
    lab.kernel.startAll();
    expect(lab.kernel.run(25)).toBe(25);
    expect(lab.kernel.crankCount).toBe(26);
  });
});
