import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

describe('capsim bench', () => {
  it('runs a chosen benchmark and prints only JSON on stdout', async () => {
    const { stdout } = await run('node', ['bin/capsim.js', 'bench', '--only', 'memory.bytes_per_slot', '--json'], { cwd: root });
    const rows = JSON.parse(stdout) as { name: string; value: number; baseline: number | null; ratio: number | null }[];
    expect(rows.map((r) => r.name)).toEqual(['memory.bytes_per_slot']);
    expect(rows[0]?.value).toBeGreaterThan(0);
    expect(rows[0]?.ratio).toBeNull();
  });

  it('an --only that matches nothing is a usage error, exit 2', async () => {
    const failure = await run('node', ['bin/capsim.js', 'bench', '--only', 'nothing'], { cwd: root }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('no benchmark matches --only nothing');
  });
});
