/**
 * `capsim trace flood | head -1`: a reader that stops early closes the pipe; capsim stops
 * quietly (exit 0, nothing on stderr) instead of dying on EPIPE with a stack trace.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repo } from '../support/cli.ts';

function firstLineThenClose(args: readonly string[]): Promise<{ first: string; code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('node', ['bin/capsim.js', ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let first = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (first !== '') return;
      first = d.toString().split('\n')[0] ?? '';
      child.stdout.destroy();
    });
    child.on('close', (code) => done({ first, code, stderr }));
  });
}

describe('a pipe closed early', () => {
  it.each([
    [['trace', 'flood', '--cranks', '20000']],
    [['trace', 'flood', '--cranks', '20000', '--json']],
  ])('capsim %j stops quietly', async (args) => {
    const r = await firstLineThenClose(args);
    expect(r.first).not.toBe('');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
