/**
 * The tutorial's system (README, "Tutorial"): two voters and a tally. Each voter holds a
 * write-only capability to the tally's endpoint, badged with its own number, so the tally knows
 * who voted without trusting anything the message says. The tally keeps its counts in a
 * storage object it holds by name, so after a power loss it reads them back. Carol votes from
 * outside the machine: a client, told the count after each vote, so a restart can be held to
 * what she was told (`reflects`; `capsim check` judges it).
 */
import type { Program, SystemSpec } from 'capsim/kernel';

type Counts = Record<string, number>;

const tally: Program<Counts> = {
  init(ctx) {
    // Runs after every restart too: rebuild the state from what was saved.
    return ctx.read(ctx.lookup('counts') as number) as Counts;
  },
  receive(ctx, counts, message) {
    const voter = String(message.badge); // set by the kernel from the sender's capability
    const next = { ...counts, [voter]: (counts[voter] ?? 0) + 1 };
    ctx.write(ctx.lookup('counts') as number, next); // saved in the same crank, or not at all
    if (message.reply !== null) ctx.reply(message.reply, next[voter] ?? 0); // a client waits for this
    return next;
  },
};

const voter: Program<{ votes: number }> = {
  init: () => ({ votes: 0 }),
  receive(ctx, state) {
    ctx.send(ctx.lookup('ballot') as number, 'vote');
    return { votes: state.votes + 1 };
  },
};

export const system: SystemSpec = {
  name: 'my-system',
  description: 'two voters and a tally: badges say who sent, storage keeps the counts',
  programs: { tally, voter },
  processes: [
    { name: 'tally', program: 'tally' },
    { name: 'alice', program: 'voter', args: ['alice'] },
    { name: 'bob', program: 'voter', args: ['bob'] },
  ],
  endpoints: [
    { name: 'ballots', owner: 'tally' },
    { name: 'alice-ticks', owner: 'alice' },
    { name: 'bob-ticks', owner: 'bob' },
  ],
  storage: [{ name: 'counts', owner: 'tally', data: {} }],
  caps: [
    { holder: 'alice', name: 'ballot', target: 'ballots', rights: 'w', badge: 1 },
    { holder: 'bob', name: 'ballot', target: 'ballots', rights: 'w', badge: 2 },
  ],
  // The world outside: alice is ticked twice as often as bob.
  input: (i) => (i < 1000 ? { to: i % 3 === 2 ? 'bob-ticks' : 'alice-ticks', payload: 'tick' } : null),
  // Carol calls from outside the machine, three times; the tally answers with her count.
  clients: [{ name: 'carol', cap: { target: 'ballots', badge: 3 }, ops: (i) => (i < 3 ? { op: 'vote' } : null) }],
  // The promise to her: a restarted tally counts at least the votes it told her it counted.
  reflects: (op, restored) => ((restored.processes.tally as Counts | undefined)?.['3'] ?? 0) >= (op.result as number),
};
