import { describe, expect, test } from 'vitest';
import { READ } from '../../../kernel/index.ts';
import { A_STORAGE, A_STORE, A_TO_B, pair } from '../support/fixtures.ts';

describe('the named capability set', () => {
  test('register names a slot; lookup finds it; names lists them sorted; unregister forgets', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => {
      ctx.register(A_STORE, 'zeta', A_TO_B);
      ctx.register(A_STORE, 'alpha', A_STORAGE);
      const before = [ctx.names(A_STORE), ctx.lookup('zeta'), ctx.lookup('alpha'), ctx.lookup('none')];
      ctx.unregister(A_STORE, 'zeta');
      return [...before, ctx.names(A_STORE), ctx.lookup('zeta'), ctx.identify(A_TO_B) !== null];
    })).toEqual({ ok: true, value: [['alpha', 'zeta'], A_TO_B, A_STORAGE, null, ['alpha'], null, true] });
  });

  test('registering a taken name moves it; renaming a capability drops its old name', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => {
      ctx.register(A_STORE, 'x', A_TO_B);
      ctx.register(A_STORE, 'x', A_STORAGE);
      ctx.register(A_STORE, 'y', A_STORAGE);
      return [ctx.lookup('x'), ctx.lookup('y'), ctx.names(A_STORE)];
    })).toEqual({ ok: true, value: [null, A_STORAGE, ['y']] });
  });

  test('a store capability reaches only its own process: not_own_store', () => {
    const { lab } = pair();
    lab.poke('a', (ctx) => ctx.send(A_TO_B, 'my store', [A_STORE]));
    lab.kernel.run();
    const foreign = lab.deliveries('b')[0]?.caps[0] as number;
    expect(lab.poke('b', (ctx) => ctx.identify(foreign)?.kind)).toEqual({ ok: true, value: 'store' });
    expect(lab.poke('b', (ctx) => ctx.register(foreign, 'steal', 0))).toEqual({ ok: false, code: 'not_own_store' });
    expect(lab.poke('b', (ctx) => ctx.unregister(foreign, 'x'))).toEqual({ ok: false, code: 'not_own_store' });
    expect(lab.poke('b', (ctx) => ctx.names(foreign))).toEqual({ ok: false, code: 'not_own_store' });
    expect(lab.poke('a', (ctx) => ctx.names(A_STORE))).toEqual({ ok: true, value: [] });
  });

  test('through something that is not a store capability: wrong_kind', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.register(A_STORAGE, 'x', A_TO_B))).toEqual({ ok: false, code: 'wrong_kind' });
    expect(lab.poke('a', (ctx) => ctx.names(A_TO_B))).toEqual({ ok: false, code: 'wrong_kind' });
  });

  test('the store capability itself takes no name: wrong_kind', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.register(A_STORE, 'me', A_STORE))).toEqual({ ok: false, code: 'wrong_kind' });
  });

  test('a reply capability cannot be named: not_copyable', () => {
    const { lab } = pair();
    const toA = lab.grant('a', 1023, 'b');
    lab.poke('b', (ctx) => ctx.call(toA, 'q'));
    lab.kernel.run();
    const m = lab.deliveries('a').find((d) => d.type === 'call');
    expect(m?.reply).not.toBeNull();
    expect(lab.poke('a', (ctx) => ctx.register(A_STORE, 'r', m?.reply as number))).toEqual({ ok: false, code: 'not_copyable' });
  });

  test.each(['', 'n'.repeat(129), 7])('name %s: name_invalid', (name) => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.register(A_STORE, name as string, A_TO_B))).toEqual({ ok: false, code: 'name_invalid' });
  });

  test('past the names bound: too_many_names, though renaming stays possible', () => {
    const { lab } = pair({}, { limits: { names_max: 1 } });
    expect(lab.poke('a', (ctx) => ctx.register(A_STORE, 'one', A_TO_B))).toEqual({ ok: true, value: undefined });
    expect(lab.poke('a', (ctx) => ctx.register(A_STORE, 'two', A_STORAGE))).toEqual({ ok: false, code: 'too_many_names' });
    expect(lab.poke('a', (ctx) => ctx.register(A_STORE, 'uno', A_TO_B))).toEqual({ ok: true, value: undefined });
  });

  test('unregistering an unknown name: unknown_name', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.unregister(A_STORE, 'ghost'))).toEqual({ ok: false, code: 'unknown_name' });
  });

  test('a read-only store capability lists names but cannot change them: insufficient_rights', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => {
      const ro = ctx.mint(A_STORE, READ);
      return ctx.names(ro);
    })).toEqual({ ok: true, value: [] });
    expect(lab.poke('a', (ctx) => ctx.register(ctx.mint(A_STORE, READ), 'x', A_TO_B))).toEqual({ ok: false, code: 'insufficient_rights' });
  });

  test('lookup of a non-string: invalid_argument', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.lookup(3 as unknown as string))).toEqual({ ok: false, code: 'invalid_argument' });
  });

  test('named capabilities survive a restart; unnamed ones and the rest do not', () => {
    const { lab, a } = pair();
    lab.poke('a', (ctx) => ctx.register(A_STORE, 'disk', A_STORAGE));
    lab.kernel.restartProcess(a);
    // The poke endpoint's capability was unnamed and went; the endpoint itself still delivers.
    expect(lab.poke('a', (ctx) => [ctx.lookup('disk'), ctx.identify(A_STORAGE)?.kind, ctx.identify(A_TO_B), ctx.identify(A_STORE)?.kind, ctx.self.generation])).toEqual({
      ok: true,
      value: [A_STORAGE, 'storage', null, 'store', 1],
    });
    const slots = [...lab.kernel.process(a).cspace.entries()].map(([s, c]) => [s, c.object.kind, c.name]);
    expect(slots).toEqual([
      [A_STORE, 'store', null],
      [A_STORAGE, 'storage', 'disk'],
    ]);
  });
});
