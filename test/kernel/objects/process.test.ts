import { describe, expect, test } from 'vitest';
import { Process } from '../../../kernel/objects/process.ts';
import { Message } from '../../../kernel/ipc/message.ts';
import { Reply } from '../../../kernel/objects/reply.ts';

function message(p: Process): Message {
  return new Message(1, 'send', p, null, 0, null, null, null, p, 0, null);
}

describe('process', () => {
  test('starts new, alive, generation 0, with an empty c-list and named set', () => {
    const p = new Process(7, 'prog', ['x'], 16);
    expect([p.status, p.alive, p.generation, p.cspace.size, p.named.size, p.debt]).toEqual(['new', true, 0, 0, 0, 0]);
  });

  test('is runnable when ready with mail, or waiting with its answer; never when new, faulted or exited', () => {
    const p = new Process(7, 'prog', [], 16);
    p.inbox.push(message(p));
    const runnable: Record<string, boolean> = {};
    for (const status of ['new', 'ready', 'waiting', 'faulted', 'exited'] as const) {
      p.status = status;
      runnable[status] = p.runnable;
    }
    expect(runnable).toEqual({ new: false, ready: true, waiting: false, faulted: false, exited: false });
    p.status = 'waiting';
    p.awaiting = new Reply(8, p, false);
    p.answer = message(p);
    expect(p.runnable).toBe(true);
  });

  test('a ready process with an empty inbox is not runnable', () => {
    const p = new Process(7, 'prog', [], 16);
    p.status = 'ready';
    expect(p.runnable).toBe(false);
  });
});
