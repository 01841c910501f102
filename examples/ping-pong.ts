/**
 * ping-pong — the smallest thing: call/reply and capability transfer. Ping calls pong and
 * hands it, with grant, a capability to its own "back" endpoint; pong answers the call and
 * also sends a one-way note back through the capability it was given.
 */
import type { Program, SystemSpec } from '../kernel/index.ts';

interface PingState {
  calls: number;
  replies: number;
  notes: number;
}

const ping: Program<PingState> = {
  init: () => ({ calls: 0, replies: 0, notes: 0 }),
  receive(ctx, state, message) {
    if (message.type === 'reply') return { ...state, replies: state.replies + 1 };
    if (message.type === 'error') return state;
    if (message.badge === 1) return { ...state, notes: state.notes + 1 };
    // A tick from outside: call pong, carrying a badged capability to our back endpoint.
    const back = ctx.mint(ctx.lookup('back') as number, 2, 1);
    ctx.call(ctx.lookup('pong') as number, { n: state.calls }, [back]);
    ctx.delete(back);
    return { ...state, calls: state.calls + 1 };
  },
};

const pong: Program<{ served: number }> = {
  init: () => ({ served: 0 }),
  receive(ctx, state, message) {
    const [back] = message.caps;
    if (back !== undefined) {
      ctx.send(back, 'note');
      ctx.delete(back);
    }
    if (message.reply !== null) ctx.reply(message.reply, { pong: (message.payload as { n: number }).n });
    return { served: state.served + 1 };
  },
};

export const system: SystemSpec = {
  name: 'ping-pong',
  description: 'call/reply and capability transfer, the smallest thing',
  programs: { ping, pong },
  processes: [
    { name: 'ping', program: 'ping' },
    { name: 'pong', program: 'pong' },
  ],
  endpoints: [
    { name: 'back', owner: 'ping' },
    { name: 'pong-service', owner: 'pong' },
  ],
  caps: [{ holder: 'ping', name: 'pong', target: 'pong-service', rights: 'rwg' }],
  input: (i) => (i < 10_000 ? { to: 'back', payload: 'tick' } : null),
};
