/**
 * The read-eval-print loop over node:readline. On a terminal it prompts, keeps history and
 * completes with tab; reading a pipe (a script, a test) it echoes each line after the prompt
 * so that the output reads as a transcript. Lines run one at a time, in order.
 */
import { createInterface } from 'node:readline';
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
