import { describe, expect, test } from 'vitest';
import { ALL_RIGHTS, READ, WRITE } from '../../../kernel/index.ts';
import { A_STORAGE, A_STORE, A_TO_B, pair } from '../support/fixtures.ts';

describe('identify, compare and slots', () => {
  test('identify tells kind, rights and badge, never an object id', () => {
    const { lab } = pair();
    const out = lab.poke('a', (ctx) => [ctx.identify(A_STORE), ctx.identify(A_TO_B), ctx.identify(A_STORAGE)]);
    expect(out).toEqual({
      ok: true,
      value: [
        { kind: 'store', rights: READ | WRITE, badge: 0 },
        { kind: 'endpoint', rights: ALL_RIGHTS, badge: 0 },
        { kind: 'storage', rights: ALL_RIGHTS, badge: 0 },
      ],
    });
  });

  test('identify of a valid empty slot is null; of an invalid slot, invalid_slot', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.identify(77))).toEqual({ ok: true, value: null });
    expect(lab.poke('a', (ctx) => ctx.identify(-1))).toEqual({ ok: false, code: 'invalid_slot' });
    expect(lab.poke('a', (ctx) => ctx.identify('1' as unknown as number))).toEqual({ ok: false, code: 'invalid_slot' });
  });

  test('compare is true for two capabilities to one object, whatever their rights and badges', () => {
    const { lab } = pair();
    const other = lab.grant('b', 0, 'a', { rights: READ, badge: 4 });
    expect(lab.poke('a', (ctx) => [ctx.compare(A_TO_B, other), ctx.compare(A_TO_B, A_STORAGE)])).toEqual({ ok: true, value: [true, false] });
  });

  test('compare with an empty or invalid slot fails', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.compare(A_TO_B, 50))).toEqual({ ok: false, code: 'empty_slot' });
    expect(lab.poke('a', (ctx) => ctx.compare(-2, A_TO_B))).toEqual({ ok: false, code: 'invalid_slot' });
  });

  test('slots lists the occupied slots in order', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.slots())).toEqual({ ok: true, value: [0, 1, 2, 1023] });
  });
});
