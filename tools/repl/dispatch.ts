/**
 * One line at the prompt: split it, find the command, run it, and turn any failure into one
 * line so that the shell goes on. A typed error (the kernel's, the store's, the agent's, a
 * usage mistake) says what is wrong; anything else is a bug in capsim and says so. Stacks only
 * with --debug.
 */
import { describeFailure } from '../cli/errors.ts';
import { red } from '../cli/output.ts';
import { ReplError } from './command.ts';
import { nearestWord } from './nearest.ts';
import type { Registry } from './registry.ts';
import type { Session } from './session.ts';
import { splitWords } from './words.ts';

/** Runs one line; false when it failed. Blank lines and # comments do nothing (scripts use them). */
export async function execute(session: Session, registry: Registry, line: string): Promise<boolean> {
  try {
    const trimmed = line.trim();
    if (trimmed.length === 0 || trimmed.startsWith('#')) return true;
    const words = splitWords(trimmed);
    const found = registry.find(words);
    if (found === null) {
      const near = nearestWord(words[0] as string, registry.firstWords());
      throw new ReplError(`unknown command '${words[0]}'${near === null ? '' : ` (did you mean '${near}'?)`}: type 'help' for the list`);
    }
    if (found.command.looksOnly) {
      await found.command.run(session, found.args);
      return true;
    }
    // The graph before and after, for `diff`; also when the command fails part-way.
    const before = session.graphNow();
    try {
      await found.command.run(session, found.args);
    } finally {
      session.recordChange(trimmed, before);
    }
    return true;
  } catch (err) {
    session.print(`${red('error:')} ${describeError(err)}`);
    if (session.options.debug && err instanceof Error && err.stack !== undefined) session.print(err.stack);
    return false;
  }
}

export function describeError(err: unknown): string {
  if (err instanceof ReplError) return err.message;
  return describeFailure(err).line;
}
