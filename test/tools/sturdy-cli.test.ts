/**
 * `capsim sturdy list|revoke` on a real store: every reference listed with its maker, target,
 * rights, crank and revoked flag and never a secret; an operator's revoke holds at the next
 * boot; mistakes are one line with the usage or failure exit code.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runCapsim, type CliRun } from '../support/cli.ts';

interface Listed {
  references: { id: number; maker: number; target: string; rights: string; badge: number; createdCrank: number; revoked: boolean }[];
}

describe('capsim sturdy', () => {
  let dir = '';
  let store = '';
  let ran: CliRun = { code: -1, stdout: '', stderr: '' };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capsim-sturdy-'));
    store = join(dir, 'store');
    ran = await runCapsim(['run', 'sturdy-clients', '--store', store, '--cranks', '30', '--json']);
    expect(ran.code, ran.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists, revokes, and the next boot holds the revocation; never a secret', async () => {
    const listed = await runCapsim(['sturdy', 'list', '--store', store, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const { references } = JSON.parse(listed.stdout) as Listed;
    expect(references.map((r) => [r.rights, r.badge, r.revoked])).toEqual([
      ['r--', 1, false],
      ['r--', 2, true],
    ]);
    expect(listed.stdout).not.toMatch(/[0-9a-f]{32}/);
    const first = references[0]?.id as number;
    const revoked = await runCapsim(['sturdy', 'revoke', String(first), '--store', store]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`sturdy reference ${first} revoked`);
    const text = await runCapsim(['sturdy', 'list', '--store', store]);
    expect(text.stdout.trimEnd().split('\n').slice(1).filter((l) => l.endsWith('revoked'))).toHaveLength(2);
    const booted = await runCapsim(['boot', '--store', store, '--json']);
    expect(booted.code, booted.stderr).toBe(0);
    expect(booted.stdout).toContain('2 sturdy reference(s)');
  }, 60_000);

  it('the run report shows the issuer\'s tokens by id, never their secrets', () => {
    expect(ran.stdout).toContain('sturdy1-');
    expect(ran.stdout).toContain('<secret>');
    expect(ran.stdout).not.toMatch(/sturdy1-\d+-[0-9a-f]{32}/);
  });

  it('an unknown reference fails (exit 1), a malformed one is a usage error (exit 2), one line each', async () => {
    expectOneLineError(await runCapsim(['sturdy', 'revoke', '999999', '--store', store]), 1, /holds no sturdy reference 999999/);
    expectOneLineError(await runCapsim(['sturdy', 'revoke', 'not-a-token', '--store', store]), 2, /names no sturdy reference/);
  }, 60_000);
});
