/**
 * `capsim repl` at a real terminal (a pseudo-terminal from util-linux's `script`): Ctrl-C on a
 * half-typed line clears it and the session goes on with its system; Ctrl-C twice at an empty
 * prompt, or Ctrl-D, leaves with exit 0.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repo } from '../support/cli.ts';

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';

/** Types `keys` into the REPL on a pty, each after the output so far contains its `after` text. */
function atTerminal(keys: { after: string; send: string }[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn('script', ['-qfec', 'node bin/capsim.js repl ping-pong', '/dev/null'], { cwd: repo, env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' } });
    let output = '';
    let next = 0;
    const feed = (): void => {
      while (next < keys.length && output.includes((keys[next] as { after: string }).after, 0)) {
        const key = keys[next] as { after: string; send: string };
        next++;
        child.stdin.write(key.send);
        // One key group at a time: the next waits for fresh output.
        break;
      }
    };
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      feed();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('close', () => clearTimeout(timer));
  });
}

describe('capsim repl at a terminal', () => {
  it('Ctrl-C clears a half-typed line and keeps the session; Ctrl-D leaves with exit 0', async () => {
    const r = await atTerminal([
      { after: 'capsim> ', send: 'step 2\r' },
      { after: 'reply p3 -> p1', send: 'caps p' },
      { after: 'caps p', send: CTRL_C },
      { after: '^C', send: 'ps\r' },
      { after: 'PROGRAM', send: CTRL_D },
    ]);
    expect(r.code).toBe(0);
    expect(r.output).toContain('^C');
    expect(r.output).toMatch(/PID\s+PROGRAM/);
    expect(r.output).not.toContain('no process');
  });

  it('Ctrl-C at an empty prompt says how to leave, and a second one leaves', async () => {
    const r = await atTerminal([
      { after: 'capsim> ', send: CTRL_C },
      { after: 'Ctrl-C again', send: CTRL_C },
    ]);
    expect(r.code).toBe(0);
    expect(r.output).toContain('(Ctrl-C again or Ctrl-D to leave; quit ends the session)');
  });
});
