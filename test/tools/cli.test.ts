/**
 * The capsim commands end to end, as a user runs them: `node bin/capsim.js ...` as a real child
 * process from the repository root. Each child costs its start-up (a tenth of a second or so
 * from the ahead-of-time build, over a second through tsx when a source is newer than the
 * build), so the cases run concurrently and each asserts several things.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../examples/index.ts';
import { expectOneLineError, runCapsim, type CliRun } from '../support/cli.ts';

const WATCH = 'test/tools/fixtures/watch-system.ts';
const ESC = '\u001b';

function capsim(...args: string[]): Promise<CliRun> {
  return runCapsim(args);
}

interface GraphJson {
  nodes: { id: number; kind: string; label: string }[];
  edges: { from: number; to: number; rights: string; badge: number }[];
}

describe.concurrent('capsim CLI', () => {
  it('examples --json lists every built-in example with its description', async () => {
    const r = await capsim('examples', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { name: string; description: string }[];
    expect(list.map((e) => e.name)).toEqual(Object.keys(EXAMPLES));
    for (const e of list) expect(e.description).toBe(EXAMPLES[e.name]?.description);
  });

  it('run --help describes the options and exits 0', async () => {
    const r = await capsim('run', '--help');
    expect(r.code).toBe(0);
    for (const option of ['--cranks', '--seed', '--store', '--memory', '--power-loss-at', '--keep-batches', '--json']) expect(r.stdout).toContain(option);
  });

  it('run with a power loss prints the restart report as JSON, every invariant ok, exit 0', async () => {
    const r = await capsim('run', 'counter', '--memory', '--cranks', '30', '--seed', '5', '--power-loss-at', '12', '--keep-batches', '1', '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { seed: number; cranks: number; powerLoss: { afterCranks: number } | null; restart: { invariants: { name: string; verdict: string; detail: string | null }[]; restored: unknown[] } | null; invariants: { name: string; verdict: string; detail: string | null }[] };
    expect(s.seed).toBe(5);
    expect(s.cranks).toBe(30);
    expect(s.powerLoss?.afterCranks).toBe(12);
    expect(s.restart?.restored).toHaveLength(2);
    expect(s.restart?.invariants).toContainEqual({ name: 'I1 durability', verdict: 'ok', detail: null });
    expect(s.invariants.every((v) => v.verdict === 'ok')).toBe(true);
  });

  it("run on a user's module prints a readable summary without escape codes under NO_COLOR", async () => {
    const r = await capsim('run', WATCH, '--memory', '--cranks', '10', '--power-loss-at', '5');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("system 'watch', seed 1");
    expect(r.stdout).toContain('invariants:');
    expect(r.stdout).toMatch(/trace hash [0-9a-f]{16}/);
    expect(r.stdout).not.toContain(ESC);
    expect(r.stderr).toBe('');
  });

  it('run on a malformed module: exit 1, one line naming the file and the problem; --debug adds the stack', async () => {
    const [plain, debug] = await Promise.all([capsim('run', 'test/tools/fixtures/malformed-system.ts'), capsim('--debug', 'run', 'test/tools/fixtures/malformed-system.ts')]);
    expectOneLineError(plain, 1, /malformed-system\.ts: .*'missing-program'/);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('usage errors exit 2 with one line: a bad count, --store with --memory', async () => {
    const [count, both] = await Promise.all([capsim('run', 'counter', '--cranks', 'many'), capsim('run', 'counter', '--memory', '--store', 'x')]);
    expectOneLineError(count, 2, /--cranks must be a whole number in 1\.\.10000000, got 'many'/);
    expectOneLineError(both, 2, /--store and --memory/);
  });

  it.each([
    [['run', 'counter', '--cranks', ''], /--cranks must be a whole number in 1\.\.10000000, got ''/],
    [['run', 'counter', '--cranks', '0x10'], /--cranks .* got '0x10'/],
    [['run', 'counter', '--cranks', '1e3'], /--cranks .* got '1e3'/],
    [['run', 'counter', '--cranks', '-5'], /--cranks .* got '-5'/],
    [['run', 'counter', '--keep-batches', '1e12', '--power-loss-at', '3'], /--keep-batches must be a whole number in 0\.\.1000, got '1e12'/],
    [['run', 'counter', '--checkpoint-every', '0', '--model', 'checkpoint'], /--checkpoint-every must be a whole number in 1\.\.10000000, got '0'/],
    [['run', 'counter', '--seed', '4294967296'], /--seed must be a whole number in 0\.\.4294967295/],
    [['demo', '--seed', '', '--store', 'unused-by-a-refused-run'], /--seed must be a whole number in 0\.\.4294967295, got ''/],
    [['trace', 'counter', '--cranks', '1.5'], /--cranks .* got '1\.5'/],
    [['check', 'bank', '--runs', '0'], /--runs must be a whole number in 1\.\.1000000, got '0'/],
    [['check', 'bank', '--runs', '1e12'], /--runs .* got '1e12'/],
    [['check', 'bank', '--exhaustive', '--ops', '1e9'], /--ops must be a whole number in 1\.\.6, got '1e9'/],
    [['check', 'bank', '--seed', '3', '--path', 'garbage'], /--path must be numbers joined by ':'/],
    [['check', 'bank', '--seed', '2147483648'], /--seed must be a whole number in -2147483648\.\.2147483647/],
  ])('a numeric flag outside its range is refused before anything runs: capsim %j', async (args, pattern) => {
    expectOneLineError(await capsim(...args), 2, pattern);
  });

  it('trace --json prints one JSON event per line; the readable trace, event for event, ends with the hash', async () => {
    const [json, text] = await Promise.all([capsim('trace', 'ping-pong', '--cranks', '6', '--json'), capsim('trace', 'ping-pong', '--cranks', '6')]);
    expect(json.code).toBe(0);
    const events = json.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { ev: string; crank: number });
    expect(events.map((e) => e.ev)).toContain('call');
    expect(events.filter((e) => e.ev === 'crank').length).toBeGreaterThanOrEqual(6);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(events.length + 2);
    expect(lines.at(-1)).toMatch(new RegExp(`^6 crank\\(s\\), ${events.length} events, trace hash [0-9a-f]{16}$`));
    expect(text.stdout).not.toContain(ESC);
  });

  it('graph --format json has the documented shape; svg starts with <svg; a bad format is a usage error', async () => {
    const [json, svg, bad] = await Promise.all([capsim('graph', WATCH, '--format', 'json', '--cranks', '5'), capsim('graph', 'counter', '--format', 'svg'), capsim('graph', 'counter', '--format', 'png')]);
    expect(json.code).toBe(0);
    const g = JSON.parse(json.stdout) as GraphJson;
    expect(Object.keys(g).sort()).toEqual(['edges', 'nodes']);
    expect(g.edges).toContainEqual(expect.objectContaining({ rights: 'r--', badge: 9 }));
    expect(g.edges).toContainEqual(expect.objectContaining({ rights: 'r--', badge: 7 }));
    expect(svg.code).toBe(0);
    expect(svg.stdout.startsWith('<svg')).toBe(true);
    expectOneLineError(bad, 2, /--format must be one of text, dot, svg, json/);
  });

  it('graph --diff shows the unnamed capability a power loss takes away', async () => {
    const json = await capsim('graph', WATCH, '--diff', '--format', 'json');
    expect(json.code).toBe(0);
    const d = JSON.parse(json.stdout) as { edgesRemoved: GraphJson['edges']; edgesAdded: GraphJson['edges']; before: GraphJson; after: GraphJson };
    expect(d.edgesRemoved).toContainEqual(expect.objectContaining({ rights: 'r--', badge: 9 }));
    expect(d.edgesAdded).not.toContainEqual(expect.objectContaining({ badge: 9 }));
    // The named capabilities come back edge for edge.
    expect(d.after.edges).toContainEqual(expect.objectContaining({ rights: 'r--', badge: 7 }));
  });
});

describe('capsim CLI on a store folder', () => {
  let dir = '';
  let store = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capsim-cli-test-'));
    store = join(dir, 'store');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('run --store makes a system; ps and caps boot it and list processes and a c-list; run again on it fails', async () => {
    const made = await capsim('run', WATCH, '--store', store, '--cranks', '5');
    expect(made.code).toBe(0);
    // One at a time: each boots the store, and a classic-level folder has one owner at a time.
    const ps = await capsim('ps', '--store', store, '--system', WATCH, '--json');
    const caps = await capsim('caps', 'client', '--store', store, '--system', WATCH, '--json');
    const [again, missing, empty] = [await capsim('run', WATCH, '--store', store), await capsim('caps', 'nobody', '--store', store, '--system', WATCH), await capsim('ps', '--store', join(dir, 'empty'))];
    expect(ps.code).toBe(0);
    const rows = JSON.parse(ps.stdout) as { pid: number; program: string; args: unknown[]; status: string; generation: number; named: number }[];
    expect(rows.map((r) => [r.program, r.named])).toEqual([
      ['service', 1],
      ['client', 4],
    ]);
    expect(ps.stderr).toBe('');

    expect(caps.code).toBe(0);
    const c = JSON.parse(caps.stdout) as { program: string; caps: { slot: number; name: string | null; kind: string; target: number; rights: string; badge: number }[] };
    expect(c.program).toBe('client');
    expect(c.caps.find((x) => x.name === 'tagged')).toMatchObject({ kind: 'endpoint', rights: 'r--', badge: 7 });
    expect(c.caps.find((x) => x.name === 'peek')).toMatchObject({ rights: 'r--k', badge: 0 });
    // The unnamed capability minted at run time was not persistent: it is not in the booted c-list.
    expect(c.caps.some((x) => x.badge === 9)).toBe(false);

    expectOneLineError(again, 1, /holds a system already/);
    expectOneLineError(missing, 2, /no process runs program 'nobody'/);
    expectOneLineError(empty, 2, /no capsim system in/);
  });
});
