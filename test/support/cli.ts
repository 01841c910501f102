/**
 * The capsim command as a user runs it: `node bin/capsim.js ...` as a real child process from
 * the repository root, with NO_COLOR so that output compares as plain text.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const repo = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs capsim with `args` (and extra environment); resolves with the exit code and both streams, never rejects. */
export function runCapsim(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((done) => {
    execFile('node', ['bin/capsim.js', ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      done({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

/** A failure the way tools/cli/errors.ts promises it: one line on stderr, `capsim: ...`, no stack trace. */
export function expectOneLineError(r: CliRun, code: number, pattern: RegExp): void {
  expect(r.code).toBe(code);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^capsim: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}
