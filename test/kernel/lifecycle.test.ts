import { describe, expect, test } from 'vitest';
import type { Kernel } from '../../kernel/index.ts';
import { A_STORAGE, A_TO_B, pair } from './support/fixtures.ts';
import { Lab } from './support/lab.ts';

function debts(k: Kernel): number[] {
  return [...k.processes()].map((p) => p.debt);
}

describe('terminate', () => {
  test('reclaims everything: queued messages dropped, callers answered, accounts repaid to 0', () => {
    const lab = new Lab();
    const victim = lab.spawn('victim');
    const victimEndpoint = lab.endpoint('victim', 0);
    lab.spawn('caller', { init: (ctx) => ctx.call(0, 'will you answer?') });
    lab.spawn('sender', { init: (ctx) => { for (let i = 0; i < 3; i++) ctx.send(0, i, [1]); } });
    lab.grant('victim', 0, 'caller', { slot: 0 });
    lab.grant('victim', 0, 'sender', { slot: 0 });
    const gift = lab.kernel.createStorage(lab.pid('sender'), 'gift', { slot: 1 });
    lab.kernel.startAll(); // victim's init runs first; then the call and sends queue for it
    const v = lab.kernel.process(victim);
    expect(v.inbox.length).toBe(4);
    expect(debts(lab.kernel).some((d) => d > 0)).toBe(true);

    lab.kernel.terminate(victim);
    expect(v.status).toBe('exited');
    expect(v.inbox.length).toBe(0);
    expect(v.cspace.size).toBe(0);
    const e = lab.kernel.objects.get(victimEndpoint.id);
    expect(e?.kind === 'endpoint' && [e.alive, e.pending]).toEqual([false, 0]);
    lab.kernel.run();
    expect(lab.deliveries('caller')).toMatchObject([{ type: 'error', error: 'callee_faulted' }]);
    expect(lab.deliveries('victim')).toEqual([]);
    expect(debts(lab.kernel)).toEqual([0, 0, 0]);
    // The carried capabilities were destroyed with their messages: only the sender's own is left.
    const storageCaps = [...lab.kernel.processes()].flatMap((p) => [...p.cspace.entries()]).filter(([, c]) => c.object.id === gift.id);
    expect(storageCaps).toHaveLength(1);
    expect(storageCaps[0]?.[1].firstChild).toBeNull();
  });

  test('a terminated process\'s own outstanding call is forgotten', () => {
    const { lab, a, b } = pair();
    lab.poke('a', (ctx) => ctx.call(A_TO_B, 1));
    lab.kernel.run();
    lab.kernel.terminate(a);
    const slot = lab.deliveries('b')[0]?.reply as number;
    expect(lab.poke('b', (ctx) => ctx.reply(slot, 'late'))).toEqual({ ok: true, value: undefined });
    lab.kernel.run();
    expect(lab.deliveries('a')).toEqual([]);
    expect(lab.kernel.process(b).debt).toBe(0);
    expect(lab.kernel.process(a).debt).toBe(0);
  });

  test('sending to a terminated process fails with revoked; terminating twice is harmless', () => {
    const { lab, b, endpoint } = pair();
    lab.kernel.terminate(b);
    lab.kernel.terminate(b);
    expect(lab.poke('a', (ctx) => ctx.send(A_TO_B, 1))).toEqual({ ok: false, code: 'revoked' });
    expect(() => lab.kernel.inject(endpoint, 1)).toThrow(/revoked/);
    expect(() => lab.kernel.restartProcess(b)).toThrow(/exited/);
  });
});

describe('restartProcess', () => {
  test('starts anew from the command line: init runs again, generation counts up, state resets', () => {
    let inits = 0;
    const lab = new Lab();
    const p = lab.spawn('p', { init: () => { inits++; return { fresh: true }; }, receive: () => ({ fresh: false }) });
    lab.endpoint('p', 0);
    lab.kernel.startAll();
    lab.poke('p', () => undefined);
    lab.kernel.restartProcess(p);
    const proc = lab.kernel.process(p);
    expect([inits, proc.generation, proc.state, proc.status]).toEqual([2, 1, { fresh: true }, 'ready']);
  });

  test('restarts a faulted process, and its queued messages wait for the new incarnation', () => {
    const { lab, b, endpoint } = pair({ b: { receive: (_ctx, m) => { if (m.payload === 'die') throw new Error('die'); } } });
    lab.kernel.inject(endpoint, 'die');
    lab.kernel.run();
    lab.kernel.inject(endpoint, 'after');
    expect(lab.kernel.process(b).status).toBe('faulted');
    lab.kernel.run();
    expect(lab.payloads('b')).toEqual(['die']);
    lab.kernel.restartProcess(b);
    lab.kernel.run();
    expect(lab.payloads('b')).toEqual(['die', 'after']);
  });

  test('the fault hook sees the process and the error', () => {
    const faults: [number, string][] = [];
    const lab = new Lab({ onFault: (_k, p, error) => faults.push([p.id, error]) });
    const p = lab.spawn('p', { init: () => { throw new TypeError('bad init'); } });
    lab.kernel.startAll();
    expect(faults).toEqual([[p, 'TypeError: bad init']]);
    expect(lab.kernel.process(p).lastFault).toBe('TypeError: bad init');
  });

  test('state that is not plain data faults the crank', () => {
    const lab = new Lab();
    const p = lab.spawn('p', { init: () => ({ f: () => 1 }) as never });
    const [result] = lab.kernel.startAll();
    expect(result?.fault).toMatch(/not_plain_data/);
    expect(lab.kernel.process(p).status).toBe('faulted');
  });

  test('unnamed capabilities go with a restart; storage named stays readable', () => {
    const { lab, a } = pair();
    lab.poke('a', (ctx) => ctx.register(0, 'disk', A_STORAGE));
    lab.kernel.restartProcess(a);
    expect(lab.poke('a', (ctx) => [ctx.read(A_STORAGE), ctx.identify(A_TO_B)])).toEqual({ ok: true, value: [{ n: 1 }, null] });
  });
});

describe('host API', () => {
  test('refuses misuse with a usage error naming it', () => {
    const { lab, a, b } = pair();
    const k = lab.kernel;
    expect(() => k.spawn('nope')).toThrow(/not registered/);
    const readOnly = k.grant(a, A_TO_B, b, { rights: 1 });
    expect(() => k.grant(b, readOnly, a, { rights: 3 })).toThrow(/exceed/);
    const weak = k.grant(a, A_TO_B, b, { rights: 1 | 8 });
    expect(() => k.grant(b, weak, a, { rights: 1 })).toThrow(/exceed/);
    const badged = k.grant(a, A_TO_B, b, { badge: 3 });
    expect(() => k.grant(b, badged, a, { badge: 4 })).toThrow(/badged/);
    expect(() => k.name(a, A_TO_B, '')).toThrow(/empty or too long/);
    expect(() => k.start(a)).toThrow(/not new/);
    expect(() => k.inject(a, 1)).toThrow(/no endpoint/);
    expect(() => k.process(999)).toThrow(/no process/);
  });

  test('inject past the queue bound: queue_full', () => {
    const { lab, endpoint } = pair({}, { limits: { queue_length_max: 2 } });
    lab.kernel.inject(endpoint, 1);
    lab.kernel.inject(endpoint, 2);
    expect(() => lab.kernel.inject(endpoint, 3)).toThrow(/queue_full/);
  });
});
