/**
 * The history checkers as pure functions of hand-written histories: linearizable against a
 * register model (concurrency, indeterminate and failed operations, keys judged apart, the
 * search bound), and durable against a counter's promise.
 */
import { describe, expect, it } from 'vitest';
import { checkDurable, checkLinearizable, type HistoryEntry, type SequentialModel } from '../../tools/testing/index.ts';

type Regs = Record<string, number | null>;

const register: SequentialModel<Regs> = {
  init: () => ({}),
  step(state, { op, value }) {
    const v = value as { key: string; value?: number };
    if (op === 'write') return [{ ...state, [v.key]: v.value as number }, 'ok'];
    return [state, state[v.key] ?? null];
  },
  key: ({ value }) => (value as { key: string }).key,
};

let crank = 0;
const inv = (id: number, client: string, op: string, value: { key: string; value?: number }): HistoryEntry => ({ type: 'invoke', id, client, op, value, crank: ++crank });
const ok = (id: number, client: string, value: number | string | null): HistoryEntry => ({ type: 'ok', id, client, value, crank: ++crank, heldCranks: 0 });
const fail = (id: number, client: string): HistoryEntry => ({ type: 'fail', id, client, error: 'callee_faulted', crank: ++crank, heldCranks: 0 });
const lost = (id: number, client: string): HistoryEntry => ({ type: 'indeterminate', id, client, crank });
const power: HistoryEntry = { type: 'power-loss', crank: 0 };

describe('linearizable', () => {
  it('accepts a read that overlaps a write and sees either value', () => {
    const history = [inv(1, 'a', 'write', { key: 'x', value: 1 }), ok(1, 'a', 'ok'), inv(2, 'a', 'write', { key: 'x', value: 2 }), inv(3, 'b', 'read', { key: 'x' }), ok(3, 'b', 1), ok(2, 'a', 'ok')];
    expect(checkLinearizable(history, register)).toEqual({ verdict: 'ok' });
  });

  it('rejects a stale read and shows the smallest prefix that proves it', () => {
    const history = [
      inv(1, 'a', 'write', { key: 'x', value: 1 }),
      ok(1, 'a', 'ok'),
      inv(2, 'b', 'write', { key: 'y', value: 5 }),
      ok(2, 'b', 'ok'),
      power,
      inv(3, 'b', 'read', { key: 'x' }),
      ok(3, 'b', null),
      inv(4, 'a', 'read', { key: 'x' }),
      ok(4, 'a', null),
    ];
    const v = checkLinearizable(history, register);
    expect(v.verdict).toBe('violated');
    if (v.verdict !== 'violated') return;
    expect(v.problem).toMatch(/key x.*b #3/);
    // Only key x, up to the first answer nothing explains: y's write and the later read are left out.
    expect(v.excerpt.map((e) => (e.type === 'power-loss' ? 'power' : `${e.type} #${e.id}`))).toEqual(['invoke #1', 'ok #1', 'power', 'invoke #3', 'ok #3']);
  });

  it('lets an indeterminate or failed write take effect or not', () => {
    const seen = [inv(1, 'a', 'write', { key: 'x', value: 1 }), lost(1, 'a'), inv(2, 'b', 'read', { key: 'x' }), ok(2, 'b', 1)];
    const unseen = [inv(1, 'a', 'write', { key: 'x', value: 1 }), fail(1, 'a'), inv(2, 'b', 'read', { key: 'x' }), ok(2, 'b', null)];
    expect(checkLinearizable(seen, register)).toEqual({ verdict: 'ok' });
    expect(checkLinearizable(unseen, register)).toEqual({ verdict: 'ok' });
    // But a failed write cannot take effect after its failure was reported.
    const late = [inv(2, 'b', 'read', { key: 'x' }), ok(2, 'b', null), inv(1, 'a', 'write', { key: 'x', value: 1 }), fail(1, 'a'), inv(3, 'b', 'read', { key: 'x' }), ok(3, 'b', 1), inv(4, 'b', 'read', { key: 'x' }), ok(4, 'b', null)];
    expect(checkLinearizable(late, register).verdict).toBe('violated');
  });

  it('says "too large to decide" at its bound instead of searching on', () => {
    const history: HistoryEntry[] = [];
    for (let i = 1; i <= 12; i++) history.push(inv(i, `c${i}`, 'write', { key: 'x', value: i }));
    for (let i = 1; i <= 12; i++) history.push(ok(i, `c${i}`, 'ok'));
    history.push(inv(13, 'r', 'read', { key: 'x' }), ok(13, 'r', 99));
    const v = checkLinearizable(history, register, { stepsMax: 50 });
    expect(v.verdict).toBe('unknown');
    if (v.verdict === 'unknown') expect(v.reason).toMatch(/too large to decide/);
    expect(checkLinearizable(history, register).verdict).toBe('violated');
  });
});

describe('durable', () => {
  const counterReflects = (op: { result: unknown }, restored: { processes: Record<string, unknown> }): boolean => ((restored.processes.counter as { count: number } | undefined)?.count ?? 0) >= (op.result as number);
  const history = [inv(1, 'a', 'increment', { key: 'c' }), ok(1, 'a', 1), inv(2, 'a', 'increment', { key: 'c' }), ok(2, 'a', 2), power];

  it('holds a restart to every answer given before the power loss', () => {
    expect(checkDurable(history, { processes: { counter: { count: 2 } }, storage: {} }, counterReflects)).toEqual({ verdict: 'ok' });
    const v = checkDurable(history, { processes: { counter: { count: 1 } }, storage: {} }, counterReflects);
    expect(v.verdict).toBe('violated');
    if (v.verdict === 'violated') {
      expect(v.problem).toMatch(/1 operation\(s\).*a #2 increment/);
      expect(v.excerpt.map((e) => e.type)).toEqual(['invoke', 'ok', 'power-loss']);
    }
  });

  it('owes nothing before any power loss', () => {
    expect(checkDurable(history.slice(0, 4), { processes: { counter: { count: 0 } }, storage: {} }, counterReflects)).toEqual({ verdict: 'ok' });
  });
});
