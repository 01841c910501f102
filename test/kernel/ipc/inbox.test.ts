import { describe, expect, test } from 'vitest';
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
});
