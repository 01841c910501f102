/**
 * After `npm start` (capsim demo on .capsim/default), `capsim ps`, `status`, `verify` and `boot`
 * read that same store with no --store: one default for every command that takes a store.
 * An empty --store is a usage error, not the current folder.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, repo, type CliRun } from '../support/cli.ts';

let dir = '';

/** capsim run from `dir`, as a user in their own folder runs it. */
function capsimIn(...args: string[]): Promise<CliRun> {
  return new Promise((done) => {
    execFile('node', [join(repo, 'bin/capsim.js'), ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      done({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capsim-default-store-'));
  const demo = await capsimIn('demo', '--seed', '3');
  expect(demo.code).toBe(0);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the default store', () => {
  it('ps, status, verify and boot read the store the demo left, with no --store', async () => {
    // One at a time: LevelDB lets one process hold a store.
    const ps = await capsimIn('ps');
    const status = await capsimIn('status');
    const verify = await capsimIn('verify');
    const boot = await capsimIn('boot');
    for (const r of [ps, status, verify, boot]) expect(r.stderr).toBe('');
    expect(ps.code).toBe(0);
    expect(ps.stdout).toMatch(/^1\s+counter\s+\[\]\s+ready/m);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^system\s+counter$/m);
    expect(verify.code).toBe(0);
    expect(boot.code).toBe(0);
  });

  it.each([['ps'], ['status'], ['verify'], ['boot'], ['repair']])("capsim %s --store '' is a usage error", async (command) => {
    expectOneLineError(await capsimIn(command, '--store', ''), 2, /--store names a folder; it was given ''/);
  });
});
