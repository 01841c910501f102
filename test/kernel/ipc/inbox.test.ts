import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../../support/seed.ts';
import { Inbox } from '../../../kernel/ipc/inbox.ts';
import { Message } from '../../../kernel/ipc/message.ts';
import { Process } from '../../../kernel/objects/process.ts';

const p = new Process(1, 'p', [], 4);
const m = (seq: number): Message => new Message(seq, 'send', p, null, 0, seq, null, null, p, 0, null);

describe('inbox', () => {
  test('is first in, first out, across compactions', () => {
    const inbox = new Inbox();
    const out: number[] = [];
    let next = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 7; i++) inbox.push(m(next++));
      for (let i = 0; i < 5; i++) out.push(inbox.shift()?.seq ?? -1);
    }
    while (inbox.length > 0) out.push(inbox.shift()?.seq ?? -1);
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
    expect(inbox.shift()).toBeUndefined();
  });

  test('peek, toArray and drain show the queue without reordering it', () => {
    const inbox = new Inbox();
    for (let i = 0; i < 3; i++) inbox.push(m(i));
    inbox.shift();
    expect(inbox.peek()?.seq).toBe(1);
    expect(inbox.toArray().map((x) => x.seq)).toEqual([1, 2]);
    expect(inbox.drain().map((x) => x.seq)).toEqual([1, 2]);
    expect(inbox.length).toBe(0);
  });

  test('behaves as a plain array queue under any mix of pushes, shifts, drains and peeks', async () => {
    const op = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 80 }).map((n) => ({ push: n })) },
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 80 }).map((n) => ({ shift: n })) },
      { weight: 1, arbitrary: fc.constant({ drain: true }) },
    );
    await assertProperty(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const inbox = new Inbox();
        const model: number[] = [];
        let next = 0;
        for (const o of ops) {
          if ('push' in o) {
            for (let i = 0; i < o.push; i++) {
              inbox.push(m(next));
              model.push(next++);
            }
          } else if ('shift' in o) {
            for (let i = 0; i < o.shift; i++) expect(inbox.shift()?.seq).toBe(model.shift());
          } else {
            expect(inbox.drain().map((x) => x.seq)).toEqual(model.splice(0));
          }
          expect(inbox.length).toBe(model.length);
          expect(inbox.peek()?.seq).toBe(model[0]);
          expect(inbox.peekLast()?.seq).toBe(model[model.length - 1]);
          expect(inbox.toArray().map((x) => x.seq)).toEqual(model);
        }
      }),
      { numRuns: 300, replay: 'npx vitest run test/kernel/ipc/inbox.test.ts' },
    );
  });
});
