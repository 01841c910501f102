import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'capsim-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function demo(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/capsim.js', 'demo', '--store', join(dir, 'store'), ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('capsim demo (what npm start runs), as a real process on classic-level', () => {
  it('creates a system, loses power, restarts, and reports every invariant ok as JSON', async () => {
    const { code, stdout } = await demo('--seed', '5', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { seed: number; model: string; restored: unknown[]; lostCranks: number; invariants: { name: string; verdict: string; detail: string | null }[] };
    expect(report.seed).toBe(5);
    expect(report.model).toBe('explicit');
    expect(report.restored).toHaveLength(2);
    expect(report.lostCranks).toBeGreaterThanOrEqual(0);
    expect(report.invariants.map((i) => i.name)).toEqual(expect.arrayContaining(['I1 durability', 'I3 fidelity', 'I5 revocation', 'I6 unique IDs', 'I8 restart idempotence']));
    for (const { verdict } of report.invariants) expect(verdict).toBe('ok');
  });

  it('run again, boots the store the last run left and says so', async () => {
    const { code, stdout } = await demo('--seed', '6');
    expect(code).toBe(0);
    expect(stdout).toContain('a previous run left');
    expect(stdout).not.toContain('FAIL');
    expect(stdout).not.toMatch(/\u001b\[/);
  });

  it('--fresh discards the store a previous run left and starts over', async () => {
    const { code, stdout } = await demo('--seed', '7', '--fresh', '--json');
    expect(code).toBe(0);
    // A new store: its creation is boot 1, so the demo's restart is boot 2, not a later one.
    expect((JSON.parse(stdout) as { bootCount: number }).bootCount).toBe(2);
  });

  it('refuses a store that holds another system, in one line, exit 1', async () => {
    const { code, stderr } = await demo('--system', 'bank');
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain("holds system 'counter', not 'bank'");
  });

  it('a bad seed is a usage error: exit 2, no stack trace', async () => {
    const { code, stderr } = await demo('--seed', 'abc');
    expect(code).toBe(2);
    expect(stderr).toContain('--seed must be a whole number');
    expect(stderr).not.toContain('    at ');
  });
});
