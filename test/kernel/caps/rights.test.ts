import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { ALL_RIGHTS, GRANT, READ, WEAK, WRITE, formatRights, isDiminished, parseRights } from '../../../kernel/index.ts';
import { hasRights, weaken } from '../../../kernel/caps/rights.ts';
import { propertyParams } from '../support/seed.ts';

const anyRights = fc.integer({ min: 0, max: 15 });

describe('rights', () => {
  test('a capability may always be diminished to itself or to nothing', () => {
    for (let r = 0; r < 16; r++) {
      expect(isDiminished(r, r)).toBe(true);
      expect(isDiminished(r, r & WEAK)).toBe(true);
    }
  });

  test('adding read, write or grant is amplification', () => {
    expect(isDiminished(READ, READ | WRITE)).toBe(false);
    expect(isDiminished(READ | WRITE, READ | GRANT)).toBe(false);
    expect(isDiminished(0, READ)).toBe(false);
  });

  test('a weak source yields only weak rights, a strong one may yield weak ones', () => {
    expect(isDiminished(READ | WEAK, READ)).toBe(false);
    expect(isDiminished(READ | WEAK, READ | WEAK)).toBe(true);
    expect(isDiminished(ALL_RIGHTS, READ | WEAK)).toBe(true);
  });

  test('diminishing is transitive: a chain never gains authority', () => {
    fc.assert(
      fc.property(anyRights, anyRights, anyRights, (a, b, c) => {
        if (isDiminished(a, b) && isDiminished(b, c)) expect(isDiminished(a, c)).toBe(true);
      }),
      propertyParams(200),
    );
  });

  test('weaken leaves at most read, always weak, and is diminished from its source', () => {
    for (let r = 0; r < 16; r++) {
      const w = weaken(r);
      expect(w & ~(READ | WEAK)).toBe(0);
      expect(w & WEAK).toBe(WEAK);
      expect(isDiminished(r, w)).toBe(true);
      expect(weaken(w)).toBe(w);
    }
  });

  test('hasRights needs every asked bit', () => {
    expect(hasRights(READ | WRITE, READ | WRITE)).toBe(true);
    expect(hasRights(READ, READ | WRITE)).toBe(false);
  });

  test('format and parse are inverse for every rights mask', () => {
    for (let r = 0; r < 16; r++) expect(parseRights(formatRights(r))).toBe(r);
    expect(formatRights(ALL_RIGHTS)).toBe('rwg');
    expect(formatRights(READ | WEAK)).toBe('r--k');
  });

  test('parse rejects an unknown letter, naming it', () => {
    expect(() => parseRights('rx')).toThrow(/unknown right 'x'/);
  });
});
