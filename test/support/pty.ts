/**
 * A capsim command at a real terminal: a pseudo-terminal from util-linux's `script`, keys
 * typed as the output asks for them. For what only a terminal shows: prompts, Ctrl-C,
 * progress bars and the cursor.
 */
import { spawn } from 'node:child_process';
import { repo } from './cli.ts';

export interface Key {
  /** Typed once the output so far contains this text. */
  after: string;
  send: string;
}

export const CTRL_C = '\u0003';
export const CTRL_D = '\u0004';
/** A command that has not ended by then is killed, and the test sees code null. */
const TIMEOUT_MS = 50_000;

export function atTerminal(args: readonly string[], keys: readonly Key[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const command = ['node', 'bin/capsim.js', ...args].join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: repo, env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' } });
    let output = '';
    let next = 0;
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      // One key at a time: the next waits for fresh output.
      const key = keys[next];
      if (key !== undefined && output.includes(key.after)) {
        next++;
        child.stdin.write(key.send);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}
