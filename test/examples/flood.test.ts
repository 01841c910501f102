/**
 * flood: a producer faster than its consumers is throttled by its account and backs off from
 * full queues; at every crank boundary every queue and the producer's debt stay in bounds.
 */
import { describe, expect, it } from 'vitest';
import type { Limits, ObjectId, TraceEvent } from '../../kernel/index.ts';
import type { System } from '../../restart-agent/index.ts';
import { system as flood } from '../../examples/flood.ts';
import { expectSound, fresh, idOf, proc, stored } from './support.ts';

const CRANKS = 3000;

/** Runs `CRANKS` cranks, checking the bounds after each; returns the trace events counted by kind. */
async function floodWith(limits: Partial<Limits>) {
  const { system } = await fresh(flood, { trace: 'full', traceKeep: 100, limits });
  const events = new Map<string, number>();
  const count = (key: string): void => void events.set(key, (events.get(key) ?? 0) + 1);
  system.kernel.trace.sink = (e: TraceEvent) => {
    count(e.ev);
    if (e.ev === 'error') count(`error ${e.code}`);
  };
  const id = (l: string): ObjectId => idOf(system.labels, l);
  const k = system.kernel;
  const debtBound = k.limits.account_debt_max + k.limits.sends_per_crank_max;
  let maxPending = 0;
  let maxDebt = 0;
  for (let n = 0; n < CRANKS; n++) {
    expect(await system.step(), `crank ${n}`).not.toBeNull();
    for (const o of k.objects.values()) if (o.kind === 'endpoint') maxPending = Math.max(maxPending, o.pending);
    maxDebt = Math.max(maxDebt, proc(system, id('producer')).debt);
    expect(maxPending, `crank ${n}`).toBeLessThanOrEqual(k.limits.queue_length_max);
    expect(maxDebt, `crank ${n}`).toBeLessThanOrEqual(debtBound);
  }
  const progress = stored(system, id('producer'), 'progress') as { sent: number; backoffs: number };
  const received = ['consumer-a', 'consumer-b'].map((c) => (stored(system, id(c), `count-${c.slice(-1)}`) as { received: number }).received);
  return { system, events, progress, received, maxPending, maxDebt, id };
}

describe('flood', () => {
  it('default limits: the producer is throttled (trace), debt and queues stay bounded, the consumers keep up', async () => {
    const { system, events, progress, received, maxDebt } = await floodWith({});
    expect(events.get('throttle') ?? 0).toBeGreaterThan(10);
    expect(events.get('unthrottle') ?? 0).toBeGreaterThan(10);
    // The producer really ran ahead: it owed more than the limit, and was held there.
    expect(maxDebt).toBeGreaterThan(system.kernel.limits.account_debt_max);
    expect(received[0]).toBeGreaterThan(1000);
    expect(received[1]).toBeGreaterThan(1000);
    // Nothing lost in between: what was sent was received, or is still queued.
    const queued = [...system.kernel.objects.values()].reduce((sum, o) => sum + (o.kind === 'endpoint' && o.owner.program === 'consumer' ? o.pending : 0), 0);
    expect((received[0] ?? 0) + (received[1] ?? 0) + queued).toBe(progress.sent);
    await system.close();
  });

  it('small queues: sends meet queue_full, the producer catches it and backs off; the queues never exceed their bound', async () => {
    const { system, events, progress, received, maxPending } = await floodWith({ queue_length_max: 16, account_debt_max: 16 });
    expect(events.get('throttle') ?? 0).toBeGreaterThan(0);
    expect(events.get('error queue_full') ?? 0).toBeGreaterThan(10);
    expect(progress.backoffs).toBe(events.get('error queue_full'));
    expect(events.get('fault') ?? 0).toBe(0); // caught, never a fault
    expect(maxPending).toBe(16); // the bound was reached, and held
    expect(received[0]).toBeGreaterThan(500);
    expect(received[1]).toBeGreaterThan(500);
    await system.close();
  });

  it('a restart resumes the flood from the saved progress', async () => {
    const { system } = await fresh(flood);
    const id = (l: string): ObjectId => idOf(system.labels, l);
    await system.run(500);
    const sentBefore = (stored(system, id('producer'), 'progress') as { sent: number }).sent;
    expect(sentBefore).toBeGreaterThan(0);
    await system.powerLoss();
    expectSound(await system.restart(), 'flood restart');
    // No input is left: only the producer's init can have set it going again.
    expect(await system.run(500)).toBe(500);
    expect((stored(system, id('producer'), 'progress') as { sent: number }).sent).toBeGreaterThan(sentBefore);
    await system.close();
  });
});
