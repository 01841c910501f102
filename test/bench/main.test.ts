import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBenchmarks, main, type Io } from '../../bench/main.ts';

const FIXTURES = resolve(import.meta.dirname, 'fixtures');
const ROOT = resolve(import.meta.dirname, '../..');

/** Runs main() against a fixture folder and captures what it would print. */
async function run(argv: string[], dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), progress: false };
  const code = await main(argv, dir, io);
  return { code, stdout, stderr };
}

describe('loadBenchmarks', () => {
  it('imports only *.bench.ts files, in name order', async () => {
    const { specs, errors } = await loadBenchmarks(join(FIXTURES, 'ok'));
    expect(errors).toEqual([]);
    expect(specs.map((s) => s.name)).toEqual(['fix.alpha', 'fix.broken', 'other.gamma']);
  });

  it('reports a file that cannot load and keeps the others', async () => {
    const { specs, errors } = await loadBenchmarks(join(FIXTURES, 'broken'));
    expect(specs.map((s) => s.name)).toEqual(['fine.one']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^bad\.bench\.ts: cannot load: half-written/);
  });
});

describe('main', () => {
  let empty = '';
  beforeAll(async () => {
    empty = await mkdtemp(join(tmpdir(), 'capsim-bench-'));
  });
  afterAll(async () => {
    await rm(empty, { recursive: true, force: true });
  });

  it('prints the table with a failed row, and exits 1 because one benchmark threw', async () => {
    const { code, stdout } = await run([], join(FIXTURES, 'ok'));
    expect(code).toBe(1);
    expect(stdout).toMatch(/fix\.alpha\s+50\s+ops\/s\s+100\s+0\.5\s+3\s+nothing/);
    expect(stdout).toContain('fix.broken  FAILED: disk on fire');
    expect(stdout).toMatch(/other\.gamma\s+7\s+bytes/);
  });

  it('prints only JSON on stdout with --json, failures on stderr', async () => {
    const { code, stdout, stderr } = await run(['--json'], join(FIXTURES, 'ok'));
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual([
      { name: 'fix.alpha', value: 50, unit: 'ops/s', baseline: 100, ratio: 0.5 },
      { name: 'other.gamma', value: 7, unit: 'bytes', baseline: null, ratio: null },
    ]);
    expect(stderr).toContain('fix.broken FAILED: disk on fire');
  });

  it('runs only what --only selects, and exits 0 when all of it succeeds', async () => {
    const { code, stdout } = await run(['--json', '--only', 'fix.al,other', '--runs', '1'], join(FIXTURES, 'ok'));
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { name: string }[]).map((r) => r.name)).toEqual(['fix.alpha', 'other.gamma']);
  });

  it('exits 2 and names the known benchmarks when --only matches nothing', async () => {
    const { code, stdout, stderr } = await run(['--only', 'nope'], join(FIXTURES, 'ok'));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('bench: no benchmark matches --only nope (known: fix.alpha, fix.broken, other.gamma)\n');
  });

  it('exits 2 on an unknown flag before loading any benchmark', async () => {
    const { code, stdout, stderr } = await run(['--fast'], join(FIXTURES, 'broken'));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('bench: unknown argument "--fast" (try --help)\n');
  });

  it('exits 1 when a file failed to load, after running the rest', async () => {
    const { code, stdout, stderr } = await run(['--json'], join(FIXTURES, 'broken'));
    expect(code).toBe(1);
    expect(stderr).toContain('bad.bench.ts: cannot load');
    expect(JSON.parse(stdout)).toEqual([{ name: 'fine.one', value: 1, unit: 'ops/s', baseline: null, ratio: null }]);
  });

  it('handles a folder with no benchmarks: says so, exits 0, and --json still prints valid JSON', async () => {
    const table = await run([], empty);
    expect(table).toMatchObject({ code: 0, stdout: '' });
    expect(table.stderr).toMatch(/no benchmarks found/);
    const json = await run(['--json'], empty);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });
});

describe('bench/main.ts as a command', () => {
  it('rejects an unknown flag with one line on stderr, nothing on stdout, exit 2', async () => {
    const failed = await promisify(execFile)(process.execPath, ['bin/run-ts.js', 'bench/main.ts', '--nope'], { cwd: ROOT }).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stdout).toBe('');
    expect(failed?.stderr).toBe('bench: unknown argument "--nope" (try --help)\n');
  });
});
