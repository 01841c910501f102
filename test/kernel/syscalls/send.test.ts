import { describe, expect, test } from 'vitest';
import { GRANT, READ, WRITE, type PlainData } from '../../../kernel/index.ts';
import { A_STORAGE, A_TO_B, pair } from '../support/fixtures.ts';

describe('send', () => {
  test('delivers the payload and the capability badge to the endpoint owner', () => {
    const { lab } = pair();
    const slot = lab.grant('b', 0, 'a', { badge: 7 });
    lab.poke('a', (ctx) => ctx.send(slot, { hello: 'b' }));
    lab.kernel.run();
    expect(lab.deliveries('b')).toMatchObject([{ type: 'send', badge: 7, payload: { hello: 'b' }, caps: [], reply: null }]);
  });

  test('messages arrive in the order they were sent', () => {
    const { lab } = pair();
    lab.poke('a', (ctx) => {
      for (let i = 0; i < 5; i++) ctx.send(A_TO_B, i);
    });
    lab.kernel.run();
    expect(lab.payloads('b')).toEqual([0, 1, 2, 3, 4]);
  });

  test.each<[string, PlainData | number]>([
    ['invalid_slot', -1],
    ['invalid_slot', 1.5],
    ['invalid_slot', 5000],
    ['empty_slot', 9],
    ['wrong_kind', A_STORAGE],
  ])('fails with %s for slot %s and delivers nothing', (code, slot) => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.send(slot as number, 1))).toEqual({ ok: false, code });
    lab.kernel.run();
    expect(lab.deliveries('b')).toEqual([]);
  });

  test('needs write on the capability: insufficient_rights', () => {
    const { lab } = pair();
    const readOnly = lab.grant('b', 0, 'a', { rights: READ | GRANT });
    expect(lab.poke('a', (ctx) => ctx.send(readOnly, 1))).toEqual({ ok: false, code: 'insufficient_rights' });
  });

  test('to an endpoint whose process has exited: revoked', () => {
    const { lab, b } = pair();
    lab.kernel.terminate(b);
    expect(lab.poke('a', (ctx) => ctx.send(A_TO_B, 1))).toEqual({ ok: false, code: 'revoked' });
  });

  test('past the queue bound: queue_full, and the earlier sends still go', () => {
    const { lab, endpoint } = pair({}, { limits: { queue_length_max: 2 } });
    const codes = lab.poke('a', (ctx) => [0, 1, 2].map((i) => {
      try {
        ctx.send(A_TO_B, i);
        return 'ok';
      } catch (err) {
        return (err as { code: string }).code;
      }
    }));
    expect(codes).toEqual({ ok: true, value: ['ok', 'ok', 'queue_full'] });
    const e = lab.kernel.objects.get(endpoint);
    expect(e?.kind === 'endpoint' && e.pending).toBe(2);
    lab.kernel.run();
    expect(lab.payloads('b')).toEqual([0, 1]);
  });

  test('more sends in one crank than the limit: too_many_sends', () => {
    const { lab } = pair({}, { limits: { sends_per_crank_max: 2 } });
    expect(lab.poke('a', (ctx) => {
      ctx.send(A_TO_B, 0);
      ctx.send(A_TO_B, 1);
      ctx.send(A_TO_B, 2);
    })).toEqual({ ok: false, code: 'too_many_sends' });
  });

  test('a payload over the byte limit: payload_too_large', () => {
    const { lab } = pair({}, { limits: { payload_bytes_max: 100 } });
    expect(lab.poke('a', (ctx) => ctx.send(A_TO_B, 'x'.repeat(200)))).toEqual({ ok: false, code: 'payload_too_large' });
  });

  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  test.each<[string, unknown]>([
    ['a function', () => 1],
    ['undefined', undefined],
    ['NaN', Number.NaN],
    ['a class instance', new Date(0)],
    ['a byte array', new Uint8Array(2)],
    ['a cycle', cyclic],
    ['a bigint', 1n],
  ])('a payload holding %s: not_plain_data', (_what, payload) => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.send(A_TO_B, { x: payload } as unknown as PlainData))).toEqual({ ok: false, code: 'not_plain_data' });
  });

  test('carried capabilities land in free slots of the receiver, as children of the sender\'s', () => {
    const { lab, storage } = pair();
    lab.poke('a', (ctx) => ctx.send(A_TO_B, 'take', [A_STORAGE]));
    lab.kernel.run();
    const [m] = lab.deliveries('b');
    expect(m?.caps).toHaveLength(1);
    const landed = lab.kernel.process(lab.pid('b')).cspace.lookup(m?.caps[0]);
    expect(landed.object.id).toBe(storage);
    expect(landed.parent).toBe(lab.kernel.process(lab.pid('a')).cspace.lookup(A_STORAGE));
  });

  test('carrying capabilities needs grant on the capability used: insufficient_rights', () => {
    const { lab } = pair();
    const noGrant = lab.grant('b', 0, 'a', { rights: READ | WRITE });
    expect(lab.poke('a', (ctx) => ctx.send(noGrant, 1, [A_STORAGE]))).toEqual({ ok: false, code: 'insufficient_rights' });
    expect(lab.poke('a', (ctx) => ctx.send(noGrant, 1, []))).toEqual({ ok: true, value: undefined });
  });

  test('too many carried capabilities: too_many_caps', () => {
    const { lab } = pair({}, { limits: { caps_per_message_max: 2 } });
    expect(lab.poke('a', (ctx) => ctx.send(A_TO_B, 1, [A_STORAGE, A_STORAGE, A_STORAGE]))).toEqual({ ok: false, code: 'too_many_caps' });
  });

  test('caps that are not an array, or name a bad slot, fail without sending', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.send(A_TO_B, 1, 3 as unknown as number[]))).toEqual({ ok: false, code: 'invalid_argument' });
    expect(lab.poke('a', (ctx) => ctx.send(A_TO_B, 1, [77]))).toEqual({ ok: false, code: 'empty_slot' });
    lab.kernel.run();
    expect(lab.deliveries('b')).toEqual([]);
  });

  test('a reply capability cannot be carried: not_copyable', () => {
    const { lab } = pair();
    lab.grant('a', A_TO_B, 'b', { slot: 5 }); // b can call itself
    lab.poke('a', (ctx) => ctx.call(A_TO_B, 'q'));
    lab.kernel.run();
    const replySlot = lab.deliveries('b')[0]?.reply ?? -1;
    expect(lab.poke('b', (ctx) => ctx.send(5, 1, [replySlot]))).toEqual({ ok: false, code: 'not_copyable' });
  });

  test('capabilities that find no free slot are dropped and counted', () => {
    const { lab } = pair({}, { limits: { slots_max: 4 } });
    // b holds its endpoint in slot 0 and its poke endpoint in slot 3: two slots are free.
    lab.pokeEndpoint('b');
    lab.poke('a', (ctx) => ctx.send(A_TO_B, 1, [A_STORAGE, A_STORAGE, A_STORAGE]));
    lab.kernel.run();
    expect(lab.deliveries('b')).toMatchObject([{ caps: [1, 2], dropped: 1 }]);
  });
});
