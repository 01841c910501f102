/**
 * `capsim repl` as a user runs it: the real CLI as a child process, a script piped to its
 * stdin, as in `printf 'ps\nstep 3\ncrash\nrestart\nps\n' | capsim repl ping-pong`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const ESC = '\u001b';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function repl(script: string, ...args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn('node', ['bin/capsim.js', 'repl', ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(script);
  });
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capsim-repl-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.concurrent('capsim repl, scripted', () => {
  it('runs the script of the README: ps, step, crash, restart, ps — every invariant ok, exit 0', async () => {
    const r = await repl('ps\nstep 3\ncrash\nrestart\nps\n', 'ping-pong');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("capsim repl — system 'ping-pong'");
    // The transcript echoes each line after the prompt.
    for (const line of ['ps', 'step 3', 'crash', 'restart']) expect(r.stdout).toContain(`capsim> ${line}\n`);
    expect(r.stdout.match(/PID\s+PROGRAM/g)).toHaveLength(2);
    expect(r.stdout).toContain('p3 pong <- call from p1');
    expect(r.stdout).toMatch(/power pulled at crank 5: \d+ unsynced batch\(es\)/);
    expect(r.stdout).toContain('boot #2 of this store');
    for (const i of ['I1 durability', 'I3 fidelity', 'I5 revocation', 'I6 unique IDs']) expect(r.stdout).toMatch(new RegExp(`ok\\s+${i}`));
    expect(r.stdout).not.toContain('FAIL');
    expect(r.stdout).not.toContain(ESC);
  });

  it('goes on after a mistake, then exits 1 with one line on stderr', async () => {
    const r = await repl('caps p42\nsend back [1,\nps\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error: no process p42');
    expect(r.stdout).toContain('error: unclosed bracket');
    expect(r.stdout).toMatch(/p1\s+ping/);
    expect(r.stdout).not.toMatch(/\n\s+at /);
    expect(r.stderr.trimEnd().split('\n')).toEqual(['capsim: 2 line(s) of the script failed']);
  });

  it('quit ends the script; the lines after it do not run', async () => {
    const r = await repl('status\nquit\nps\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('power     on');
    expect(r.stdout).not.toContain('PID');
  });

  it('--store creates the system in a folder, and a second repl boots it with what was granted by name', async () => {
    const store = join(dir, 'kept');
    const first = await repl('grant p1 1 p3 w 3 as back\nquit\n', 'ping-pong', '--store', store);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("granted: p3 slot 2: endpoint 5 [-w- badge 3] named 'back'");
    const second = await repl('caps pong\n', '--store', store);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`store ${store} (booted)`);
    expect(second.stdout).toContain('p3 pong [] names [back, pong-service] -> ready');
    expect(second.stdout).toMatch(/back\s+endpoint\s+5\s+-w-\s+3/);
  });

  it('an unknown system is a usage error: one line, exit 2', async () => {
    const r = await repl('ps\n', 'no-such-system');
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^capsim: no example system 'no-such-system'/);
  });
});
