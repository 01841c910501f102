import { describe, expect, test } from 'vitest';
import type { Ctx, Limits, ObjectId, TraceMode } from '../../kernel/index.ts';
import { Lab } from './support/lab.ts';

/**
 * A producer floods a consumer: every delivery to it (its own tick included) makes it send a
 * tick to itself and then as many messages to the consumer as the kernel lets it.
 */
function flood(limits: Partial<Limits>, trace?: TraceMode): { lab: Lab; producer: ObjectId; endpoints: ObjectId[] } {
  const lab = new Lab({ limits, ...(trace === undefined ? {} : { trace }) });
  const burst = (ctx: Ctx): void => {
    ctx.send(1, 'tick');
    try {
      for (let i = 0; i < 1000; i++) ctx.send(0, i);
    } catch {
      // queue_full or too_many_sends: the kernel slows us down
    }
  };
  lab.spawn('consumer');
  const producer = lab.spawn('producer', { init: burst, receive: burst });
  const inbox = lab.endpoint('consumer', 0);
  lab.grant('consumer', 0, 'producer', { slot: 0 });
  const tick = lab.endpoint('producer', 1);
  lab.kernel.startAll();
  return { lab, producer, endpoints: [inbox.id, tick.id] };
}

describe('flow control', () => {
  const limits = { account_debt_max: 6, sends_per_crank_max: 4, queue_length_max: 10 };

  test('a flooding producer is throttled: its debt stays within account_debt_max + sends_per_crank_max', () => {
    const { lab, producer, endpoints } = flood(limits);
    let debtMax = 0;
    let throttled = 0;
    for (let i = 0; i < 2000; i++) {
      lab.kernel.step();
      const p = lab.kernel.process(producer);
      debtMax = Math.max(debtMax, p.debt);
      if (lab.kernel.scheduler.throttled.has(p)) throttled++;
      for (const id of endpoints) {
        const e = lab.kernel.objects.get(id);
        expect(e?.kind === 'endpoint' && e.pending).toBeLessThanOrEqual(limits.queue_length_max);
      }
    }
    expect(debtMax).toBeLessThanOrEqual(limits.account_debt_max + limits.sends_per_crank_max);
    expect(throttled).toBeGreaterThan(0);
    expect(lab.deliveries('consumer').length).toBeGreaterThan(500);
  });

  test('throttling shows in the trace, and so does the release', () => {
    const { lab } = flood({ ...limits }, 'full');
    lab.kernel.run(300);
    const kinds = new Set(lab.kernel.trace.events().map((e) => e.ev));
    expect(kinds.has('throttle')).toBe(true);
    expect(kinds.has('unthrottle')).toBe(true);
  });

  test('every delivery is charged to the account of the input that caused it, and repaid after', () => {
    const lab = new Lab();
    lab.spawn('relay', { receive: (ctx) => ctx.send(0, 'onward') });
    const sink = lab.spawn('sink');
    const relay = lab.pid('relay');
    const sinkEndpoint = lab.endpoint('sink');
    lab.grant('sink', sinkEndpoint.slot, 'relay', { slot: 0 });
    const relayEndpoint = lab.endpoint('relay', 1);
    lab.kernel.startAll();
    lab.kernel.inject(relayEndpoint.id, 'go');
    expect(lab.kernel.process(relay).debt).toBe(1);
    lab.kernel.step(); // relay runs: its send to sink is charged to relay's account (the input's)
    expect(lab.kernel.process(relay).debt).toBe(1);
    expect(lab.kernel.process(sink).debt).toBe(0);
    lab.kernel.step();
    expect(lab.kernel.process(relay).debt).toBe(0);
    expect(lab.payloads('sink')).toEqual(['onward']);
  });
});
