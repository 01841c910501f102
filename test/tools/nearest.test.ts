import { describe, expect, it } from 'vitest';
import { distance, nearestWord } from '../../tools/repl/nearest.ts';

describe('the nearest command to a typo', () => {
  it('counts insertions, deletions, substitutions and swapped neighbours as one edit each', () => {
    expect(distance('step', 'step')).toBe(0);
    expect(distance('stpe', 'step')).toBe(1);
    expect(distance('ste', 'step')).toBe(1);
    expect(distance('steep', 'step')).toBe(1);
    expect(distance('stop', 'step')).toBe(1);
    expect(distance('', 'abc')).toBe(3);
  });

  it('suggests only a likely fix: within two edits and less than half the word', () => {
    const known = ['step', 'run', 'revoke', 'graph', 'ps', 'caps'];
    expect(nearestWord('stpe', known)).toBe('step');
    expect(nearestWord('revok', known)).toBe('revoke');
    expect(nearestWord('xyz', known)).toBeNull();
    expect(nearestWord('p', known)).toBeNull();
    expect(nearestWord('frobnicate', known)).toBeNull();
    expect(nearestWord('x'.repeat(100), known)).toBeNull();
  });
});
