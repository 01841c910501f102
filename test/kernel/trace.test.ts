import { describe, expect, test } from 'vitest';
import { Rng, Trace, formatEvent, type TraceEvent } from '../../kernel/index.ts';
import { resolveLimits } from '../../kernel/limits.ts';

const events: TraceEvent[] = [
  { crank: 1, ev: 'crank', pid: 2, program: 'p', msg: 'send', badge: 3, from: 4 },
  { crank: 1, ev: 'send', pid: 2, to: 5, endpoint: 6, badge: 0, caps: 1 },
  { crank: 1, ev: 'error', pid: 2, syscall: 'copy', code: 'empty_slot' },
  { crank: 2, ev: 'fault', pid: 2, error: 'boom' },
];

describe('trace', () => {
  test('the hash depends on every event and their order; hash mode keeps no events', () => {
    const a = new Trace('hash');
    const b = new Trace('hash');
    for (const e of events) a.record(e);
    for (const e of [...events].reverse()) b.record(e);
    expect(a.hash).not.toBe(b.hash);
    expect(a.total).toBe(4);
    expect(a.events()).toEqual([]);
  });

  test('the hash tells apart events that differ in one value, or whose text splits differently', () => {
    const hashOf = (...es: TraceEvent[]): string => {
      const t = new Trace('hash');
      for (const e of es) t.record(e);
      return t.hash;
    };
    const base: TraceEvent = { crank: 1, ev: 'cap', pid: 2, op: 'mint', slot: 3, to: 4, rights: 'rw-', badge: 5 };
    const variants: TraceEvent[] = [
      base,
      { ...base, crank: 2 },
      { ...base, to: -1 },
      { ...base, badge: 2 ** 40 },
      { ...base, badge: 2 ** 40 + 1 },
      { ...base, op: 'min', rights: 'trw-' },
      { ...base, op: 'mintr', rights: 'w-' },
      { crank: 1, ev: 'note', pid: 2, text: '1' },
      { crank: 1, ev: 'note', pid: 2, text: '' },
    ];
    const hashes = variants.map((v) => hashOf(v));
    expect(new Set(hashes).size).toBe(variants.length);
    // One event and the same values as two events are different traces.
    expect(hashOf({ crank: 1, ev: 'note', pid: 2, text: 'ab' })).not.toBe(hashOf({ crank: 1, ev: 'note', pid: 2, text: 'a' }, { crank: 1, ev: 'note', pid: 2, text: 'b' }));
    expect(hashOf({ crank: 1, ev: 'note', pid: 2, text: '7' })).not.toBe(hashOf({ crank: 1, ev: 'drop', pid: 2, reason: '', count: 7 }));
  });

  test('full mode keeps the last events, oldest first, and feeds the sink', () => {
    const t = new Trace('full', 2);
    const lines: string[] = [];
    t.sink = (_e, line) => lines.push(line);
    for (const e of events) t.record(e);
    expect(t.events()).toEqual(events.slice(2));
    expect(lines.map((l) => JSON.parse(l) as TraceEvent)).toEqual(events);
  });

  test('state round trip continues the same hash', () => {
    const a = new Trace('hash');
    a.record(events[0] as TraceEvent);
    const b = new Trace('hash');
    b.setState(a.getState());
    a.record(events[1] as TraceEvent);
    b.record(events[1] as TraceEvent);
    expect(b.hash).toBe(a.hash);
    expect(b.total).toBe(2);
  });

  test('every event formats as one readable line', () => {
    expect(formatEvent(events[0] as TraceEvent)).toMatch(/p2 p <- send badge 3 from p4/);
    expect(formatEvent(events[2] as TraceEvent)).toMatch(/copy failed: empty_slot/);
    for (const e of events) expect(formatEvent(e)).not.toContain('\n');
  });
});

describe('rng and limits', () => {
  test('the generator is a function of its seed, and its state resumes the sequence', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    const c = new Rng(6);
    const seqA = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(seqA);
    const d = new Rng(0);
    d.setState(a.getState());
    expect(d.below(1000)).toBe(a.below(1000));
    expect(() => d.setState([1, 2])).toThrow(/four words/);
  });

  test('limits must be positive integers', () => {
    expect(resolveLimits({ slots_max: 4 }).slots_max).toBe(4);
    expect(() => resolveLimits({ slots_max: 0 })).toThrow(/slots_max/);
    expect(() => resolveLimits({ queue_length_max: 1.5 })).toThrow(/queue_length_max/);
  });
});
