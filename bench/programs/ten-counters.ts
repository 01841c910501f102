/**
 * The crash explorer benchmark's system as a module: five counter pairs, ten processes. The
 * benchmark runs it unconfined (imported) and confined (loaded as the CLI loads a module).
 */
import type { Program, SystemSpec } from '../../kernel/index.ts';
import { system as counter } from '../../examples/counter.ts';

/** The counter example's counter, finding its storage under the name its first argument gives (labels are unique per system). */
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

const copies = [0, 1, 2, 3, 4];
const label = (i: number, name: string): string => `${name}-${i}`;

export const system: SystemSpec = {
  name: 'ten-counters',
  description: 'five counter pairs: ten processes',
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
  input: (n) => (n < 100_000 ? { to: label(n % 5, 'ticks'), payload: 'tick' } : null),
};
