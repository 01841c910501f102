/**
 * canonicalText writes plain data by hand for speed; JSON.stringify with a sorting replacer
 * defines what it must write. They must agree on every value, plain or not (the hand-written
 * path hands what it does not know to the replacer form), in both byte modes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalText, replacerText, type BytesMode } from '../../restart-agent/canonical-text.ts';
import { assertProperty } from '../support/seed.ts';

function outcome(f: () => string): { text: string } | { threw: string } {
  try {
    return { text: f() };
  } catch (error) {
    return { threw: (error as Error).constructor.name };
  }
}

const anything = fc.anything({
  withTypedArray: true,
  withNullPrototype: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withSparseArray: true,
  withObjectString: true,
  maxDepth: 4,
});
/** Plain data as programs hold it, with keys that sort unlike their insertion: indexes, prefixes, non-ASCII. */
const key = fc.oneof(fc.string(), fc.constantFrom('0', '1', '10', '2', '01', '4294967294', '4294967295', '-1', '__proto__', 'a', 'aa', 'é', 'Z'));
const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    fc.string(),
    fc.uint8Array({ maxLength: 5 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('canonicalText', () => {
  for (const bytes of ['as-json', 'as-bytes'] as BytesMode[]) {
    it(`writes what the replacer form writes, ${bytes}`, async () => {
      await assertProperty(
        fc.property(fc.oneof(plain, anything), (value) => {
          expect(outcome(() => canonicalText(value, bytes))).toEqual(outcome(() => replacerText(value, bytes)));
        }),
        { numRuns: 2000, replay: 'npx vitest run test/restart-agent/canonical-text.test.ts' },
      );
    });
  }

  it('sorts keys, index keys first in numeric order, and writes byte arrays as asked', () => {
    const value = { b: 1, a: [true, null, 'x'], '10': 0, '2': 0, bytes: Buffer.from([1, 2]) };
    expect(canonicalText(value, 'as-bytes')).toBe('{"2":0,"10":0,"a":[true,null,"x"],"b":1,"bytes":{"bytes":[1,2]}}');
    expect(canonicalText(value, 'as-json')).toBe('{"2":0,"10":0,"a":[true,null,"x"],"b":1,"bytes":{"data":[1,2],"type":"Buffer"}}');
  });
});
