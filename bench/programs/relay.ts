/**
 * The IPC benchmark's relay, as a module a user would write: the benchmark loads it confined,
 * through the CLI's loader, to measure what confinement costs beside the same code unconfined.
 */
import type { Program, SystemSpec } from '../../kernel/index.ts';

/** Forwards every message to its peer (slot 1) until the count runs out: one send per crank. */
const relay: Program<number> = {
  init: () => 0,
  receive(ctx, state, message) {
    const left = message.payload as number;
    if (left > 0) ctx.send(1, left - 1);
    return state + 1;
  },
};

const idle: Program<null> = { init: () => null, receive: () => null };

export const system: SystemSpec = {
  name: 'bench-programs',
  description: 'the programs of the kernel and restart benchmarks (the benchmarks wire them)',
  programs: { relay, idle },
  processes: [{ name: 'relay', program: 'relay' }],
};
