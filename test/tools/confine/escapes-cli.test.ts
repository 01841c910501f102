/**
 * The escapes that once took the capsim command itself down, run as a user runs them: a timer's
 * throw, process.exit, an infinite loop, a rejected Promise, a description's input() that throws.
 * Each is now a fault of one process (the run goes on and reports it) or one line naming the file.
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { expectOneLineError, repo, type CliRun } from '../../support/cli.ts';

const fixture = (name: string): string => `test/tools/confine/fixtures/${name}.ts`;

/** Runs capsim with a wall-clock limit, so that a program that hangs the command fails the test instead of the suite. */
function capsim(args: readonly string[], timeoutMs = 30_000): Promise<CliRun & { killed: boolean }> {
  return new Promise((done) => {
    execFile('node', ['bin/capsim.js', ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1' }, timeout: timeoutMs }, (err, stdout, stderr) => {
      done({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr, killed: err?.killed ?? false });
    });
  });
}

function expectRanAndReported(r: CliRun & { killed: boolean }, faultPattern: RegExp): void {
  expect(r.killed, 'capsim did not end by itself').toBe(false);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^processes:/m);
  expect(r.stdout).toMatch(faultPattern);
}

describe('capsim run, with a misbehaving program', () => {
  it('survives a timer that would throw: there are no timers', async () => {
    expectRanAndReported(await capsim(['run', fixture('timer'), '--cranks', '10', '--memory']), /setTimeout is not defined/);
  });

  it('survives process.exit: there is no process object', async () => {
    expectRanAndReported(await capsim(['run', fixture('process-exit'), '--cranks', '10', '--memory']), /process is not defined/);
  });

  it('survives a handler that returns a rejected Promise', async () => {
    expectRanAndReported(await capsim(['run', fixture('async-receive'), '--cranks', '10', '--memory']), /program 'eager'.*Promise/);
  });

  it('stops an infinite loop at the crank budget; the neighbour runs on', async () => {
    const r = await capsim(['run', fixture('spin'), '--cranks', '20', '--memory']);
    expectRanAndReported(r, /crank_budget_exceeded/);
    expect(r.stdout).toMatch(/worker \[\] ready {2}5/);
  });

  it("names the file and the function when the description's input() throws", async () => {
    expectOneLineError(await capsim(['run', fixture('input-throws'), '--cranks', '10', '--memory']), 1, /input-throws\.ts: .*input\(2\) threw.*no third input/);
  });
});
