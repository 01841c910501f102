import { describe, expect, test } from 'vitest';
import { A_STORAGE, A_TO_B, pair } from '../support/fixtures.ts';
import { Lab } from '../support/lab.ts';

describe('delete', () => {
  test('empties the slot and leaves the object to other holders', () => {
    const { lab } = pair();
    const out = lab.poke('a', (ctx) => {
      const copy = ctx.copy(A_STORAGE);
      ctx.delete(A_STORAGE);
      return { gone: ctx.identify(A_STORAGE), still: ctx.read(copy) };
    });
    expect(out).toEqual({ ok: true, value: { gone: null, still: { n: 1 } } });
  });

  test('hands the children to the parent, so that an ancestor revoke still reaches them', () => {
    const { lab, a } = pair();
    const out = lab.poke('a', (ctx) => {
      const middle = ctx.copy(A_STORAGE);
      const leaf = ctx.copy(middle);
      ctx.delete(middle);
      const removed = ctx.revoke(A_STORAGE);
      return { removed, leaf: ctx.identify(leaf) };
    });
    expect(out).toEqual({ ok: true, value: { removed: 1, leaf: null } });
    expect(lab.kernel.process(a).cspace.lookup(A_STORAGE).firstChild).toBeNull();
  });

  test.each<[string, number]>([
    ['invalid_slot', -1],
    ['invalid_slot', Number.POSITIVE_INFINITY],
    ['empty_slot', 12],
  ])('fails with %s for slot %s', (code, slot) => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.delete(slot))).toEqual({ ok: false, code });
  });

  test('deleting a named capability removes its name', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => {
      ctx.register(0, 'disk', A_STORAGE);
      ctx.delete(A_STORAGE);
      return [ctx.lookup('disk'), ctx.names(0)];
    })).toEqual({ ok: true, value: [null, []] });
  });
});

describe('revoke', () => {
  test('removes every descendant, in every process, and keeps the capability itself', () => {
    const { lab, b } = pair();
    lab.poke('a', (ctx) => {
      const c1 = ctx.copy(A_STORAGE);
      ctx.mint(c1, 1);
      ctx.send(A_TO_B, 'take', [A_STORAGE, c1]);
    });
    lab.kernel.run();
    expect(lab.deliveries('b')[0]?.caps).toHaveLength(2);
    expect(lab.poke('a', (ctx) => [ctx.revoke(A_STORAGE), ctx.slots()])).toEqual({ ok: true, value: [4, [0, 1, 2, 1023]] });
    const kinds = [...lab.kernel.process(b).cspace.entries()].map(([, c]) => c.object.kind);
    expect(kinds).not.toContain('storage');
  });

  test('reaches capabilities still in transit: they never land', () => {
    const { lab } = pair();
    lab.poke('a', (ctx) => {
      const c = ctx.copy(A_STORAGE);
      ctx.send(A_TO_B, 'take', [c]);
      ctx.revoke(A_STORAGE);
    });
    lab.kernel.run();
    expect(lab.deliveries('b')).toMatchObject([{ payload: 'take', caps: [], dropped: 0 }]);
  });

  test('a revoke above a named capability removes the name', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => {
      const c = ctx.copy(A_STORAGE);
      ctx.register(0, 'copy', c);
      ctx.revoke(A_STORAGE);
      return [ctx.lookup('copy'), ctx.names(0)];
    })).toEqual({ ok: true, value: [null, []] });
  });

  test('leaves siblings and ancestors alone', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => {
      const left = ctx.copy(A_STORAGE);
      const right = ctx.copy(A_STORAGE);
      const below = ctx.copy(left);
      const removed = ctx.revoke(left);
      return [removed, ctx.identify(below), ctx.identify(left) !== null, ctx.identify(right) !== null, ctx.identify(A_STORAGE) !== null];
    })).toEqual({ ok: true, value: [1, null, true, true, true] });
  });

  test.each<[string, number]>([
    ['invalid_slot', 2048],
    ['empty_slot', 12],
  ])('fails with %s for slot %s', (code, slot) => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.revoke(slot))).toEqual({ ok: false, code });
  });

  test('more descendants than the visit bound: object_limit, and nothing is removed', () => {
    const lab = new Lab({ limits: { revoke_visits_max: 2 } });
    const p = lab.spawn('p');
    lab.kernel.createStorage(p, 1, { slot: 0 });
    lab.kernel.startAll();
    expect(lab.poke('p', (ctx) => {
      for (let i = 0; i < 3; i++) ctx.copy(0);
      let code = '';
      try {
        ctx.revoke(0);
      } catch (err) {
        code = (err as { code: string }).code;
      }
      return [code, ctx.slots()];
    })).toEqual({ ok: true, value: ['object_limit', [0, 1, 2, 3, 1023]] });
  });

  test('revoking a reply capability\'s slot removes nothing and the reply still answers', () => {
    const { lab } = pair();
    lab.poke('a', (ctx) => ctx.call(A_TO_B, 1));
    lab.kernel.run();
    const slot = lab.deliveries('b')[0]?.reply as number;
    expect(lab.poke('b', (ctx) => {
      const removed = ctx.revoke(slot);
      ctx.reply(slot, 'ok');
      return removed;
    })).toEqual({ ok: true, value: 0 });
    lab.kernel.run();
    expect(lab.payloads('a')).toEqual(['ok']);
  });
});
