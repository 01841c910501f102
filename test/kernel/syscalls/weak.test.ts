import { describe, expect, test } from 'vitest';
import { GRANT, READ, WEAK, WRITE } from '../../../kernel/index.ts';
import { A_STORAGE, A_STORE, pair } from '../support/fixtures.ts';

/** b answers every call with a full capability to a storage object of its own. */
function giving(): ReturnType<typeof pair> {
  return pair({
    b: {
      receive: (ctx, m) => {
        if (m.reply === null) return;
        const s = ctx.createStorage({ secret: 1 });
        ctx.reply(m.reply, 'here', [s]);
      },
    },
  });
}

describe('weak capabilities', () => {
  test('capabilities in a reply to a call through a weak capability arrive weak and read-only', () => {
    const { lab } = giving();
    const weak = lab.grant('b', 0, 'a', { rights: READ | WEAK });
    lab.poke('a', (ctx) => ctx.call(weak, 'give'));
    lab.kernel.run();
    const got = lab.deliveries('a')[0]?.caps[0] as number;
    expect(lab.poke('a', (ctx) => [ctx.identify(got), ctx.read(got)])).toEqual({ ok: true, value: [{ kind: 'storage', rights: READ | WEAK, badge: 0 }, { secret: 1 }] });
    expect(lab.poke('a', (ctx) => ctx.write(got, 'no'))).toEqual({ ok: false, code: 'insufficient_rights' });
  });

  test('the same call through a strong capability gives the capability as sent', () => {
    const { lab } = giving();
    lab.poke('a', (ctx) => ctx.call(1, 'give'));
    lab.kernel.run();
    const got = lab.deliveries('a')[0]?.caps[0] as number;
    expect(lab.poke('a', (ctx) => ctx.identify(got)?.rights)).toEqual({ ok: true, value: READ | WRITE | GRANT });
  });

  test('weakness is transitive: copies and mints of a weak capability stay weak', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => {
      const weak = ctx.mint(A_STORAGE, READ | WEAK);
      return [ctx.identify(ctx.copy(weak))?.rights, ctx.identify(ctx.mint(weak, WEAK))?.rights];
    })).toEqual({ ok: true, value: [READ | WEAK, WEAK] });
    expect(lab.poke('a', (ctx) => ctx.mint(ctx.mint(A_STORAGE, READ | WEAK), READ))).toEqual({ ok: false, code: 'rights_amplification' });
  });

  test('a weak capability cannot write storage, even one minted with WRITE', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.write(ctx.mint(A_STORAGE, READ | WRITE | WEAK), 'overwritten'))).toEqual({ ok: false, code: 'insufficient_rights' });
    expect(lab.poke('a', (ctx) => ctx.read(A_STORAGE))).toEqual({ ok: true, value: { n: 1 } });
  });

  test('a weak capability cannot send, nor carry capabilities, but may still call', () => {
    const { lab } = pair();
    const weak = lab.grant('b', 0, 'a', { rights: READ | WRITE | GRANT | WEAK });
    expect(lab.poke('a', (ctx) => ctx.send(weak, 1))).toEqual({ ok: false, code: 'insufficient_rights' });
    expect(lab.poke('a', (ctx) => ctx.call(weak, 1, [A_STORAGE]))).toEqual({ ok: false, code: 'insufficient_rights' });
    expect(lab.poke('a', (ctx) => ctx.call(weak, 1))).toEqual({ ok: true, value: undefined });
  });

  test('a weak store capability cannot change the named set', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.register(ctx.mint(A_STORE, READ | WRITE | WEAK), 'x', A_STORAGE))).toEqual({ ok: false, code: 'insufficient_rights' });
    expect(lab.poke('a', (ctx) => ctx.names(ctx.mint(A_STORE, READ | WEAK)))).toEqual({ ok: true, value: [] });
  });
});
