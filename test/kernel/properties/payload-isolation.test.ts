import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { PlainData } from '../../../kernel/index.ts';
import { A_TO_B, pair } from '../support/fixtures.ts';
import { propertyParams } from '../support/seed.ts';

/** Tries every mutation it can think of on every container inside `value`; strict mode may throw. */
function vandalise(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  const attempts: (() => void)[] = [];
  if (Array.isArray(value)) {
    const list = value as unknown[];
    attempts.push(() => list.push('new'), () => { list[0] = 'changed'; }, () => list.reverse(), () => { list.length = 0; });
    for (const item of [...list]) vandalise(item);
  } else {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      vandalise(record[key]);
      attempts.push(() => { record[key] = 'changed'; }, () => { delete record[key]; });
    }
    attempts.push(() => { record.added = 1; });
  }
  for (const attempt of attempts) {
    try {
      attempt();
    } catch {
      // frozen
    }
  }
}

const plain = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)) as PlainData);

describe('payload isolation (I11)', () => {
  test('mutating a payload after send does not change what the receiver sees', () => {
    fc.assert(
      fc.property(plain, (payload) => {
        const expected = structuredClone(payload);
        const { lab } = pair();
        const sent = lab.poke('a', (ctx) => {
          ctx.send(A_TO_B, payload);
          vandalise(payload);
        });
        expect(sent).toEqual({ ok: true, value: undefined });
        lab.kernel.run();
        const [seen] = lab.payloads('b');
        vandalise(seen);
        expect(seen).toEqual(expected);
      }),
      propertyParams(200),
    );
  });

  test('an accessor anywhere in a payload is refused, so it cannot leak later changes', () => {
    fc.assert(
      fc.property(plain, fc.string({ minLength: 1, maxLength: 4 }), (payload, key) => {
        const { lab } = pair();
        let live = 1;
        const holder: Record<string, unknown> = {};
        Object.defineProperty(holder, key, { get: () => live, enumerable: true });
        const outcome = lab.poke('a', (ctx) => ctx.send(A_TO_B, [payload, holder] as unknown as PlainData));
        live = 2;
        expect(outcome).toEqual({ ok: false, code: 'not_plain_data' });
      }),
      propertyParams(100),
    );
  });
});
