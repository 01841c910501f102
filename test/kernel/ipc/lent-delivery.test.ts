/**
 * Program.borrowsDelivery: a program that says it reads its delivery only during receive is
 * handed one object, refilled for every crank; every other program gets a new delivery each
 * time, so that one it keeps never changes under it.
 */
import { describe, expect, it } from 'vitest';
import { Kernel, type Delivery, type Program } from '../../../kernel/index.ts';

function relayOf(kept: Delivery[], borrows: boolean): Program<number> {
  return {
    borrowsDelivery: borrows,
    init: () => 0,
    receive(_ctx, n, message) {
      kept.push(message);
      return n + 1;
    },
  };
}

function deliverThree(program: Program<number>): void {
  const kernel = new Kernel({ programs: { p: program }, trace: 'off' });
  const pid = kernel.spawn('p');
  const inbox = kernel.createEndpoint(pid).id;
  kernel.startAll();
  for (const payload of ['one', 'two', 'three']) kernel.inject(inbox, payload);
  kernel.run();
}

describe('the delivery a program receives', () => {
  it('is a new object for every crank of a program that does not borrow it: one kept stays as it was', () => {
    const kept: Delivery[] = [];
    deliverThree(relayOf(kept, false));
    expect(kept.map((d) => d.payload)).toEqual(['one', 'two', 'three']);
    expect(new Set(kept).size).toBe(3);
  });

  it('is one object, refilled with each crank\'s delivery, for a program that borrows it', () => {
    const kept: Delivery[] = [];
    const seen: unknown[] = [];
    const program = relayOf(kept, true);
    const receive = program.receive.bind(program);
    program.receive = (ctx, n, message) => {
      seen.push({ ...message });
      return receive(ctx, n, message);
    };
    deliverThree(program);
    expect(new Set(kept).size).toBe(1);
    expect(seen).toEqual(['one', 'two', 'three'].map((payload) => ({ type: 'send', badge: 0, payload, caps: [], dropped: 0, reply: null, error: null })));
  });
});
