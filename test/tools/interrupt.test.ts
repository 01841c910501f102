/**
 * Ctrl-C during a long command at a terminal: the progress bar goes, the cursor it hid comes
 * back, one line says what happened (check first prints what its runs so far judged), and the
 * exit code is 130, as shells report SIGINT.
 */
import { describe, expect, it } from 'vitest';
import { atTerminal, CTRL_C } from '../support/pty.ts';

const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';

describe('Ctrl-C at a terminal', () => {
  it('during capsim run: the cursor comes back, one line, exit 130', async () => {
    const r = await atTerminal(['run', 'test/tools/fixtures/long-running.ts', '--cranks', '5000000', '--memory'], [{ after: '/5000000 cranks', send: CTRL_C }]);
    expect(r.code).toBe(130);
    expect(r.output).toContain(HIDE_CURSOR);
    expect(r.output.lastIndexOf(SHOW_CURSOR)).toBeGreaterThan(r.output.lastIndexOf(HIDE_CURSOR));
    expect(r.output).toContain('capsim: interrupted');
    expect(r.output).not.toMatch(/\n\s+at /);
  });

  it('during capsim check: the cursor comes back, the summary of the runs so far, exit 130', async () => {
    const r = await atTerminal(['check', 'bank', '--runs', '1000000', '--seed', '3'], [{ after: '/1000000 runs', send: CTRL_C }]);
    expect(r.code).toBe(130);
    expect(r.output.lastIndexOf(SHOW_CURSOR)).toBeGreaterThan(r.output.lastIndexOf(HIDE_CURSOR));
    // What was judged before Ctrl-C: the summary's lines, then one line that says where it stopped.
    expect(r.output).toMatch(/capsim check bank \(model explicit, random, seed 3\): \d+ run\(s\)/);
    expect(r.output).toMatch(/I1 durability\s+\d+/);
    expect(r.output).toMatch(/capsim: interrupted after \d+ run\(s\): no violation so far/);
    expect(r.output).not.toMatch(/\n\s+at /);
  });
});
