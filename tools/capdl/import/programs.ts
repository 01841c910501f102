/**
 * The programs an imported capDL system runs. capDL says which threads exist and what they
 * hold, not what they do, so each process runs `capdl-default` — it counts what it receives and
 * answers every call with null — unless an overlay names a program for one of its TCBs. The
 * loader process runs `capdl-loader`, which does the same: it holds what it owns and does
 * nothing with it, as capDL's loader does once the system is up.
 */
import type { PlainData, Program, ProgramTable } from '../../../kernel/index.ts';

export const DEFAULT_PROGRAM = 'capdl-default';
export const LOADER_PROGRAM = 'capdl-loader';

const quiet: Program<{ received: number }> = {
  init: () => ({ received: 0 }),
  receive(ctx, state, message) {
    if (message.reply !== null) ctx.reply(message.reply, null);
    return { received: state.received + 1 };
  },
};

export const CAPDL_PROGRAMS: ProgramTable = Object.freeze({ [DEFAULT_PROGRAM]: quiet, [LOADER_PROGRAM]: quiet });

/**
 * An overlay: a module beside a .cdl file that says what its threads run. `assign` maps a TCB
 * name to a program name (or a program and its arguments); `programs` adds programs to those
 * the system can run.
 */
export interface CapdlOverlay {
  programs?: ProgramTable;
  assign?: Readonly<Record<string, string | { program: string; args?: PlainData[] }>>;
}
