import { describe, expect, test } from 'vitest';
import { freezePlain, plainEqual } from '../../kernel/index.ts';
import { codeOf } from './support/lab.ts';

const BIG = 1 << 20;

describe('plain data', () => {
  test('accepts null, booleans, finite numbers, strings, arrays and plain objects, and freezes them deeply', () => {
    const value = { a: [1, 'x', { b: null, c: true }], d: Object.create(null) as object };
    freezePlain(value, BIG, 10);
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.a)).toBe(true);
    expect(Object.isFrozen(value.a[2])).toBe(true);
  });

  test.each<[string, unknown]>([
    ['undefined', undefined],
    ['a function', () => 0],
    ['a symbol', Symbol('s')],
    ['a bigint', 2n],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a Map', new Map()],
    ['a byte array', new Uint8Array(1)],
    ['an array hole', [1, , 3]], // eslint-disable-line no-sparse-arrays
  ])('rejects %s: not_plain_data', (_what, value) => {
    expect(codeOf(() => freezePlain({ v: value }, BIG, 10))).toBe('not_plain_data');
  });

  test('rejects nesting past the depth bound, which also stops a cycle', () => {
    expect(codeOf(() => freezePlain([[[1]]], BIG, 2))).toBe('not_plain_data');
    expect(codeOf(() => freezePlain([[[1]]], BIG, 3))).toBe('none');
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(codeOf(() => freezePlain(cycle, BIG, 100))).toBe('not_plain_data');
  });

  test('rejects data over the byte bound: payload_too_large', () => {
    expect(codeOf(() => freezePlain('x'.repeat(100), 50, 10))).toBe('payload_too_large');
    expect(codeOf(() => freezePlain(['x'.repeat(30), 'y'.repeat(30)], 50, 10))).toBe('payload_too_large');
  });

  test('rejects an accessor property: its value could change after the check', () => {
    let n = 1;
    expect(codeOf(() => freezePlain({ get x() { return n; } }, BIG, 10))).toBe('not_plain_data');
    const arr = [0];
    Object.defineProperty(arr, 0, { get: () => n, enumerable: true });
    expect(codeOf(() => freezePlain(arr, BIG, 10))).toBe('not_plain_data');
    n = 2;
  });

  test('plainEqual compares structure, not identity', () => {
    expect(plainEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(plainEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(plainEqual([1], { 0: 1 })).toBe(false);
    expect(plainEqual(null, {})).toBe(false);
  });
});
