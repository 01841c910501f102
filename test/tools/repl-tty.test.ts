/**
 * `capsim repl` at a real terminal (a pseudo-terminal from util-linux's `script`): Ctrl-C on a
 * half-typed line clears it and the session goes on with its system; Ctrl-C twice at an empty
 * prompt, or Ctrl-D, leaves with exit 0.
 */
import { describe, expect, it } from 'vitest';
import { atTerminal, CTRL_C, CTRL_D } from '../support/pty.ts';

describe('capsim repl at a terminal', () => {
  it('Ctrl-C clears a half-typed line and keeps the session; Ctrl-D leaves with exit 0', async () => {
    const r = await atTerminal(['repl', 'ping-pong'], [
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
    const r = await atTerminal(['repl', 'ping-pong'], [
      { after: 'capsim> ', send: CTRL_C },
      { after: 'Ctrl-C again', send: CTRL_C },
    ]);
    expect(r.code).toBe(0);
    expect(r.output).toContain('(Ctrl-C again or Ctrl-D to leave; quit ends the session)');
  });
});
