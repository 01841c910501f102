/**
 * The REPL's console: a small process through which the person at the prompt makes a call, since
 * a call needs a caller that waits for the answer and the host is no process. `call` spawns one
 * (not persistent), grants it the endpoint, has it call, runs cranks until the answer is back,
 * and ends it. Its program joins every system the tools load (tools/cli/load-system.ts), so a
 * store whose checkpoint caught a console still boots.
 */
import type { PlainData, Program, SystemSpec } from '../../kernel/index.ts';

export const CONSOLE_PROGRAM = 'repl-console';

export type ConsoleState = { phase: 'idle' } | { phase: 'waiting' } | { phase: 'answered'; payload: PlainData; error: string | null };

const console: Program<ConsoleState> = {
  init: () => ({ phase: 'idle' }),
  receive(ctx, state, message) {
    if (message.type === 'reply' || message.type === 'error') return { phase: 'answered', payload: message.payload, error: message.error };
    const order = message.payload as { slot?: unknown; payload?: PlainData } | null;
    if (state.phase !== 'idle' || typeof order?.slot !== 'number') return state;
    ctx.call(order.slot, order.payload ?? null);
    return { phase: 'waiting' };
  },
};

/** The description with the console's program added (unchanged when it has one of that name). */
export function withConsole(spec: SystemSpec): SystemSpec {
  if (Object.prototype.hasOwnProperty.call(spec.programs, CONSOLE_PROGRAM)) return spec;
  return { ...spec, programs: { ...spec.programs, [CONSOLE_PROGRAM]: console as Program<PlainData> } };
}
