import { describe, expect, test } from 'vitest';
import { READ, WRITE, type PlainData } from '../../../kernel/index.ts';
import { A_STORAGE, A_TO_B, pair } from '../support/fixtures.ts';
import { Lab } from '../support/lab.ts';

describe('createEndpoint', () => {
  test('gives the creator a full capability; what is sent to it is delivered to the creator', () => {
    const { lab } = pair();
    lab.poke('a', (ctx) => {
      const e = ctx.createEndpoint();
      ctx.send(e, 'to myself');
    });
    lab.kernel.run();
    expect(lab.payloads('a')).toEqual(['to myself']);
  });

  test('in a full c-list: clist_full, and no object is made', () => {
    const { lab } = pair({}, { limits: { slots_max: 4 } });
    const before = lab.kernel.objects.size;
    expect(lab.poke('a', (ctx) => ctx.createEndpoint())).toEqual({ ok: false, code: 'clist_full' });
    expect(lab.kernel.objects.size).toBe(before);
  });

  test('past the object limit: object_limit', () => {
    const lab = new Lab({ limits: { objects_max: 3 } });
    const p = lab.spawn('p');
    lab.pokeEndpoint('p');
    lab.kernel.startAll();
    expect(lab.poke('p', (ctx) => ctx.createEndpoint())).toEqual({ ok: true, value: 0 });
    expect(lab.poke('p', (ctx) => ctx.createStorage(1))).toEqual({ ok: false, code: 'object_limit' });
    expect(lab.kernel.objects.size).toBe(3);
    expect(lab.kernel.process(p).status).toBe('ready');
  });
});

describe('storage: createStorage, read, write', () => {
  test('read gives what createStorage or the last write put there', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => {
      const s = ctx.createStorage({ list: [1, 2] });
      const first = ctx.read(s);
      ctx.write(s, 'next');
      return [first, ctx.read(s)];
    })).toEqual({ ok: true, value: [{ list: [1, 2] }, 'next'] });
  });

  test('write bumps the version', () => {
    const { lab, storage } = pair();
    lab.poke('a', (ctx) => ctx.write(A_STORAGE, 2));
    const o = lab.kernel.objects.get(storage);
    expect(o?.kind === 'storage' ? o.version : -1).toBe(2);
  });

  test('read needs READ, write needs WRITE: insufficient_rights', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => {
      const w = ctx.mint(A_STORAGE, WRITE);
      const r = ctx.mint(A_STORAGE, READ);
      const codes: string[] = [];
      for (const f of [() => ctx.read(w), () => ctx.write(r, 1)]) {
        try {
          f();
        } catch (err) {
          codes.push((err as { code: string }).code);
        }
      }
      return codes;
    })).toEqual({ ok: true, value: ['insufficient_rights', 'insufficient_rights'] });
  });

  test('read or write through a non-storage capability: wrong_kind', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.read(A_TO_B))).toEqual({ ok: false, code: 'wrong_kind' });
    expect(lab.poke('a', (ctx) => ctx.write(A_TO_B, 1))).toEqual({ ok: false, code: 'wrong_kind' });
  });

  test.each<[string, unknown]>([
    ['not_plain_data', { f: () => 0 }],
    ['payload_too_large', 'y'.repeat(500)],
  ])('writing bad data: %s, and the old data stays', (code, data) => {
    const { lab } = pair({}, { limits: { payload_bytes_max: 100 } });
    expect(lab.poke('a', (ctx) => ctx.write(A_STORAGE, data as PlainData))).toEqual({ ok: false, code });
    expect(lab.poke('a', (ctx) => ctx.createStorage(data as PlainData))).toEqual({ ok: false, code });
    expect(lab.poke('a', (ctx) => ctx.read(A_STORAGE))).toEqual({ ok: true, value: { n: 1 } });
  });

  test('what read returns is frozen: a reader cannot change the stored data', () => {
    const { lab } = pair();
    const out = lab.poke('a', (ctx) => {
      const data = ctx.read(A_STORAGE) as { n: number };
      try {
        (data as { n: number }).n = 99;
      } catch {
        // strict mode throws on a frozen object; either way nothing may change
      }
      return ctx.read(A_STORAGE);
    });
    expect(out).toEqual({ ok: true, value: { n: 1 } });
  });
});
