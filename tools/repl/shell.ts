/**
 * The read-eval-print loop over node:readline. On a terminal it prompts, keeps history and
 * completes with tab; reading a pipe (a script, a test) it echoes each line after the prompt
 * so that the output reads as a transcript. Lines run one at a time, in order. Ctrl-C clears a
 * half-typed line; Ctrl-D, or Ctrl-C twice at an empty prompt, leaves.
 */
import { createInterface, type Interface } from 'node:readline';
import { execute } from './dispatch.ts';
import type { Registry } from './registry.ts';
import type { Session } from './session.ts';

export const PROMPT = 'capsim> ';
const HISTORY_MAX = 500;

export interface ShellIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** A person at a terminal: prompt, history and completion; otherwise echo each line. */
  interactive: boolean;
}

/** Runs until quit or the end of input; says how many lines failed. */
export async function runShell(session: Session, registry: Registry, io: ShellIo): Promise<{ failed: number }> {
  const rl = createInterface({
    input: io.input,
    output: io.output,
    terminal: io.interactive,
    historySize: HISTORY_MAX,
    prompt: PROMPT,
    completer: (line: string) => registry.complete(session, line),
  });
  let failed = 0;
  if (io.interactive) onInterrupt(rl, io.output);
  try {
    if (io.interactive) rl.prompt();
    for await (const line of rl) {
      if (!io.interactive) session.print(`${PROMPT}${line}`);
      if (!(await execute(session, registry, line))) failed++;
      if (session.isEnded) break;
      if (io.interactive) rl.prompt();
    }
  } finally {
    rl.close();
  }
  return { failed };
}

/**
 * Ctrl-C at a terminal, as a shell takes it: on a half-typed line it clears the line; at an
 * empty prompt it says how to leave, and a second Ctrl-C in a row leaves (as Ctrl-D does).
 * The in-memory system is never lost to a stray keypress.
 */
function onInterrupt(rl: Interface, output: NodeJS.WritableStream): void {
  let armed = false;
  rl.on('line', () => {
    armed = false;
  });
  rl.on('SIGINT', () => {
    if (rl.line.length > 0) {
      armed = false;
      rl.write(null, { ctrl: true, name: 'e' });
      rl.write(null, { ctrl: true, name: 'u' });
      output.write('^C\n');
      rl.prompt();
      return;
    }
    if (armed) {
      output.write('\n');
      rl.close();
      return;
    }
    armed = true;
    output.write('^C\n(Ctrl-C again or Ctrl-D to leave; quit ends the session)\n');
    rl.prompt();
  });
}
