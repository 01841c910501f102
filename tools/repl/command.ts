/**
 * What a REPL command is, and how commands come in groups. A group is one module under
 * commands/; the registry (registry.ts) takes groups, so a new set of commands is one new module
 * and one line in builtin.ts.
 */
import type { Session } from './session.ts';

export interface ReplCommand {
  name: string;
  /** Other words that run it (e.g. exit for quit). */
  aliases?: readonly string[];
  /** The arguments as help shows them, e.g. '<pid|program>' or '[n]'. */
  args: string;
  /** One line for the command list. */
  summary: string;
  /** More lines for `help <command>`: what it teaches, an example. */
  details?: readonly string[];
  /**
   * Candidates for the next argument, given the arguments typed before it (`before.length` is
   * its index), unfiltered: the registry keeps those that start with what is being typed.
   * Cheap and synchronous: it runs on every tab.
   */
  complete?: (session: Session, before: readonly string[]) => readonly string[];
  /** True for a command that only looks (ps, graph, help...): `diff` then still shows the command before it. */
  looksOnly?: boolean;
  run(session: Session, args: readonly string[]): Promise<void> | void;
}

export interface CommandGroup {
  name: string;
  summary: string;
  /**
   * When set, the group's commands are typed after this word (`snap save NAME`), so a group
   * may reuse a name another group has (spawn, status) without the two colliding.
   */
  prefix?: string;
  commands: readonly ReplCommand[];
}

/** A mistake at the prompt: printed as one line, and the shell goes on. */
export class ReplError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplError';
  }
}
