import { describe, expect, test } from 'vitest';
import { CSpace } from '../../../kernel/caps/cspace.ts';
import { Cap } from '../../../kernel/caps/capability.ts';
import { Endpoint } from '../../../kernel/objects/endpoint.ts';
import { Process } from '../../../kernel/objects/process.ts';
import { codeOf } from '../support/lab.ts';

const owner = new Process(1, 'p', [], 4);
const cap = (): Cap => new Cap(new Endpoint(2, owner), 1, 0);

describe('c-list', () => {
  test.each([-1, 4, 1.5, Number.NaN, '1', null, undefined])('lookup of slot %s is invalid_slot', (slot) => {
    expect(codeOf(() => new CSpace(4).lookup(slot))).toBe('invalid_slot');
    expect(codeOf(() => new CSpace(4).checkFree(slot))).toBe('invalid_slot');
  });

  test('lookup of a valid empty slot is empty_slot', () => {
    const cs = new CSpace(4);
    expect(codeOf(() => cs.lookup(2))).toBe('empty_slot');
  });

  test('put then lookup gives the capability, which knows its holder and slot', () => {
    const cs = new CSpace(4);
    const c = cap();
    cs.put(2, c, owner);
    expect(cs.lookup(2)).toBe(c);
    expect(c.holder).toBe(owner);
    expect(c.slot).toBe(2);
    expect(codeOf(() => cs.checkFree(2))).toBe('slot_occupied');
  });

  test('firstFree is the lowest free slot, and clist_full when none is left', () => {
    const cs = new CSpace(3);
    expect(cs.firstFree()).toBe(0);
    cs.put(0, cap(), owner);
    cs.put(2, cap(), owner);
    expect(cs.firstFree()).toBe(1);
    cs.put(1, cap(), owner);
    expect(cs.freeCount()).toBe(0);
    expect(codeOf(() => cs.firstFree())).toBe('clist_full');
  });

  test('clear returns the capability, detaches it and gives trailing memory back', () => {
    const cs = new CSpace(8);
    const c = cap();
    cs.put(5, c, owner);
    expect(cs.slots.length).toBe(6);
    expect(cs.clear(5)).toBe(c);
    expect(c.holder).toBeNull();
    expect(c.slot).toBe(-1);
    expect(cs.slots.length).toBe(0);
    expect(cs.size).toBe(0);
    expect(cs.clear(5)).toBeNull();
  });

  test('entries lists occupied slots in order', () => {
    const cs = new CSpace(8);
    cs.put(3, cap(), owner);
    cs.put(1, cap(), owner);
    expect([...cs.entries()].map(([s]) => s)).toEqual([1, 3]);
    expect(cs.size).toBe(2);
  });
});
