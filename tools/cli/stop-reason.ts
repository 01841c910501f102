/**
 * Why a run ended where it did, as `run` and `compare` report it: the crank limit it was given,
 * or a system with nothing left to do — every process ended, or no input and no client left
 * to wake one.
 */
import type { System } from '../../restart-agent/index.ts';

export type StopReason = 'crank_limit' | 'all_ended' | 'no_input';

export interface Stopped {
  reason: StopReason;
  /** The reason as a sentence. */
  text: string;
}

/** Why a run that was asked for `asked` cranks and ran `ran` stopped. */
export function whyStopped(system: System, asked: number, ran: number): Stopped {
  if (ran >= asked) return { reason: 'crank_limit', text: `stopped at the crank limit (${asked})` };
  const processes = [...system.kernel.processes()];
  const alive = processes.filter((p) => p.status !== 'exited');
  if (alive.length === 0) return { reason: 'all_ended', text: `stopped after ${ran} of ${asked} crank(s): every process ended` };
  const waiting = alive.filter((p) => p.status === 'waiting').length;
  const why = waiting > 0 ? `, ${waiting} process(es) waiting for an answer` : '';
  const refused = system.refusedInputs > 0 ? ` (${system.refusedInputs} refused by the kernel)` : '';
  return { reason: 'no_input', text: `stopped after ${ran} of ${asked} crank(s): the system is idle — no input left it can take${refused}, no client to call${why}` };
}
