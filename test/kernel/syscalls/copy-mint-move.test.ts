import { describe, expect, test } from 'vitest';
import { ALL_RIGHTS, GRANT, READ, WEAK, WRITE } from '../../../kernel/index.ts';
import { A_STORAGE, A_TO_B, pair } from '../support/fixtures.ts';

describe('copy', () => {
  test('makes a child with the same object, rights and badge in the first free slot', () => {
    const { lab, a } = pair();
    const slot = lab.grant('b', 0, 'a', { badge: 3, rights: READ | WRITE });
    const out = lab.poke('a', (ctx) => {
      const dest = ctx.copy(slot);
      return { dest, info: ctx.identify(dest), same: ctx.compare(dest, slot) };
    });
    expect(out).toEqual({ ok: true, value: { dest: 4, info: { kind: 'endpoint', rights: READ | WRITE, badge: 3 }, same: true } });
    const p = lab.kernel.process(a);
    expect(p.cspace.lookup(4).parent).toBe(p.cspace.lookup(slot));
  });

  test('into a chosen free slot', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.copy(A_STORAGE, 40))).toEqual({ ok: true, value: 40 });
  });

  test.each<[string, number, number | undefined]>([
    ['invalid_slot', -3, undefined],
    ['empty_slot', 30, undefined],
    ['slot_occupied', A_STORAGE, A_TO_B],
    ['invalid_slot', A_STORAGE, 1.5],
    ['invalid_slot', A_STORAGE, 1 << 20],
  ])('fails with %s (from %s to %s)', (code, from, to) => {
    const { lab, a } = pair();
    const before = lab.kernel.process(a).cspace.size;
    expect(lab.poke('a', (ctx) => ctx.copy(from, to))).toEqual({ ok: false, code });
    expect(lab.kernel.process(a).cspace.size).toBe(before);
  });

  test('into a full c-list: clist_full', () => {
    const { lab } = pair({}, { limits: { slots_max: 4 } });
    lab.pokeEndpoint('a'); // slots 0..3 now all taken
    expect(lab.poke('a', (ctx) => ctx.copy(A_STORAGE))).toEqual({ ok: false, code: 'clist_full' });
  });
});

describe('mint', () => {
  test('diminishes rights and sets a badge on an unbadged capability', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.identify(ctx.mint(A_TO_B, WRITE, 9)))).toEqual({ ok: true, value: { kind: 'endpoint', rights: WRITE, badge: 9 } });
  });

  test('keeps the source badge when none is given, and accepts the same badge again', () => {
    const { lab } = pair();
    const badged = lab.grant('b', 0, 'a', { badge: 5 });
    expect(lab.poke('a', (ctx) => [ctx.identify(ctx.mint(badged, READ))?.badge, ctx.identify(ctx.mint(badged, READ, 5))?.badge])).toEqual({ ok: true, value: [5, 5] });
  });

  test('may add weak to a strong capability', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.identify(ctx.mint(A_STORAGE, READ | WEAK))?.rights)).toEqual({ ok: true, value: READ | WEAK });
  });

  test.each<[string, number]>([
    ['more rights than the source', ALL_RIGHTS],
    ['dropping weak', READ],
  ])('asking for %s: rights_amplification', (_what, rights) => {
    const { lab } = pair();
    const weak = lab.grant('b', 0, 'a', { rights: READ | GRANT | WEAK });
    const narrow = lab.grant('b', 0, 'a', { rights: READ | WRITE });
    const source = rights === ALL_RIGHTS ? narrow : weak;
    expect(lab.poke('a', (ctx) => ctx.mint(source, rights))).toEqual({ ok: false, code: 'rights_amplification' });
  });

  test.each([16, -1, 1.5, Number.NaN, '1'])('rights %s is not a rights mask: invalid_argument', (rights) => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.mint(A_STORAGE, rights as number))).toEqual({ ok: false, code: 'invalid_argument' });
  });

  test.each([-1, 0.5, 2 ** 60, '2'])('badge %s: invalid_argument', (badge) => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.mint(A_STORAGE, READ, badge as number))).toEqual({ ok: false, code: 'invalid_argument' });
  });

  test('re-badging a badged capability: badge_already_set', () => {
    const { lab } = pair();
    const badged = lab.grant('b', 0, 'a', { badge: 5 });
    expect(lab.poke('a', (ctx) => ctx.mint(badged, READ, 6))).toEqual({ ok: false, code: 'badge_already_set' });
  });

  test('into an occupied slot: slot_occupied', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.mint(A_STORAGE, READ, 0, A_TO_B))).toEqual({ ok: false, code: 'slot_occupied' });
  });
});

describe('move', () => {
  test('moves the capability, its name and its place in the tree', () => {
    const { lab, a } = pair();
    const p = lab.kernel.process(a);
    const cap = p.cspace.lookup(A_STORAGE);
    const out = lab.poke('a', (ctx) => {
      ctx.register(0, 'disk', A_STORAGE);
      ctx.move(A_STORAGE, 20);
      return { lookup: ctx.lookup('disk'), old: ctx.identify(A_STORAGE) };
    });
    expect(out).toEqual({ ok: true, value: { lookup: 20, old: null } });
    expect(p.cspace.lookup(20)).toBe(cap);
  });

  test.each<[string, number, number]>([
    ['empty_slot', 30, 31],
    ['slot_occupied', A_STORAGE, A_TO_B],
    ['invalid_slot', A_STORAGE, -1],
    ['invalid_slot', 0.5, 31],
  ])('fails with %s (from %s to %s) and moves nothing', (code, from, to) => {
    const { lab, a } = pair();
    const p = lab.kernel.process(a);
    const before = [...p.cspace.entries()];
    expect(lab.poke('a', (ctx) => ctx.move(from, to))).toEqual({ ok: false, code });
    expect([...p.cspace.entries()]).toEqual(before);
  });
});
