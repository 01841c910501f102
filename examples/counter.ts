/**
 * counter — explicit persistence, Coyotos style. The counter keeps its count in a storage
 * object it holds under a name, writes it on every increment, and reads it back in init.
 * So it survives a power loss because it saves what it needs, and only that: an increment
 * whose commit was not yet durable is lost, and the report says how many cranks were.
 *
 * Two clients outside the machine ask for increments too, and each answer is a promise: a
 * client told "5" may never, after any restart, see a count below 5. The counter writes the
 * count in the crank that answers, so under every persistence model the answer leaves only once
 * that write is durable (output commit), and `capsim check counter` holds it to the promise.
 */
import type { ClientOp, Program, SystemSpec } from '../kernel/index.ts';

interface CounterState {
  count: number;
}

const counter: Program<CounterState> = {
  init(ctx) {
    const saved = ctx.read(ctx.lookup('count') as number) as { count: number };
    return { count: saved.count };
  },
  receive(ctx, state, message) {
    const count = state.count + 1;
    ctx.write(ctx.lookup('count') as number, { count });
    if (message.reply !== null) ctx.reply(message.reply, count);
    return { count };
  },
};

interface ClientState {
  asked: number;
  lastSeen: number;
}

/** Asks the counter to increment on every tick; remembers the last value it was told. */
const client: Program<ClientState> = {
  init: () => ({ asked: 0, lastSeen: 0 }),
  receive(ctx, state, message) {
    if (message.type === 'reply') return { ...state, lastSeen: message.payload as number };
    if (message.type === 'error') return state;
    ctx.call(ctx.lookup('counter') as number, 'increment');
    return { ...state, asked: state.asked + 1 };
  },
};

/** Increments a client outside the machine asks for, one at a time. */
const CLIENT_OPS = 20;

function increments(i: number): ClientOp | null {
  return i < CLIENT_OPS ? { op: 'increment' } : null;
}

export const system: SystemSpec = {
  name: 'counter',
  description: 'explicit persistence: a counter that saves its count and reads it back after a restart',
  programs: { counter, 'counter-client': client },
  processes: [
    { name: 'counter', program: 'counter' },
    { name: 'client', program: 'counter-client' },
  ],
  endpoints: [
    { name: 'requests', owner: 'counter' },
    { name: 'ticks', owner: 'client' },
  ],
  storage: [{ name: 'count', owner: 'counter', data: { count: 0 } }],
  caps: [{ holder: 'client', name: 'counter', target: 'requests', rights: 'rw' }],
  input: (i) => (i < 10_000 ? { to: 'ticks', payload: 'tick' } : null),
  clients: [
    { name: 'alice', cap: { target: 'requests' }, ops: increments },
    { name: 'bob', cap: { target: 'requests' }, ops: increments },
  ],
  // The count only grows: a restored counter reflects an increment it answered n if it counts at least n.
  reflects: (op, restored) => {
    const count = (restored.storage.count as { count?: number } | undefined)?.count;
    return typeof count === 'number' && count >= (op.result as number);
  },
};

