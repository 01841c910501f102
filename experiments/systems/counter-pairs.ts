/**
 * counter-pairs(n): n copies of the counter example side by side, 2n processes, each client
 * ticking its own counter — a system whose size is a parameter, for experiments that grow it.
 */
import type { Program, SystemSpec } from '../../kernel/index.ts';
import { system as counter } from '../../examples/counter.ts';

/** The counter example's counter, finding its storage under the name its first argument gives. */
const namedCounter: Program<{ count: number }> = {
  init(ctx, args) {
    return { count: (ctx.read(ctx.lookup(args[0] as string) as number) as { count: number }).count };
  },
  receive(ctx, state, message) {
    const count = state.count + 1;
    ctx.write(ctx.lookup(ctx.self.args[0] as string) as number, { count });
    if (message.reply !== null) ctx.reply(message.reply, count);
    return { count };
  },
};

/** Pairs at most: 2 × this many processes stay well inside the kernel's object limit. */
export const PAIRS_MAX = 50_000;

export function counterPairs(pairs: number): SystemSpec {
  if (!Number.isSafeInteger(pairs) || pairs < 1 || pairs > PAIRS_MAX) throw new RangeError(`pairs must be 1..${PAIRS_MAX}, got ${pairs}`);
  const copies = Array.from({ length: pairs }, (_, i) => i);
  const label = (i: number, name: string): string => `${name}-${i}`;
  return {
    name: 'counter-pairs',
    description: `${pairs} counter pair(s): ${2 * pairs} processes, each client ticking its own counter`,
    programs: { counter: namedCounter, 'counter-client': counter.programs['counter-client'] as Program },
    processes: copies.flatMap((i) => [
      { name: label(i, 'counter'), program: 'counter', args: [label(i, 'count')] },
      { name: label(i, 'client'), program: 'counter-client' },
    ]),
    endpoints: copies.flatMap((i) => [
      { name: label(i, 'requests'), owner: label(i, 'counter') },
      { name: label(i, 'ticks'), owner: label(i, 'client') },
    ]),
    storage: copies.map((i) => ({ name: label(i, 'count'), owner: label(i, 'counter'), data: { count: 0 } })),
    caps: copies.map((i) => ({ holder: label(i, 'client'), name: 'counter', target: label(i, 'requests'), rights: 'rw' })),
    input: (n) => (n < 10_000_000 ? { to: label(n % pairs, 'ticks'), payload: 'tick' } : null),
  };
}
