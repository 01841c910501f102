/**
 * capsim experiment: the same rows whatever the number of workers, three shards merged equal
 * one unsharded run, a run killed with SIGKILL resumes to the same rows, and a row's replay
 * command gives that row again. Wall-clock columns are the only ones allowed to differ.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeExperiments, replayTrial, runExperiment } from '../../../tools/experiment/experiment.ts';
import { readJournal } from '../../../tools/experiment/journal.ts';
import { isWallClock } from '../../../tools/experiment/metrics.ts';
import type { Row } from '../../../tools/experiment/rows.ts';
import { expectOneLineError, repo, runCapsim } from '../../support/cli.ts';

const FILE = join(repo, 'test/tools/experiment/fixtures/small.ts');
let dir: string;
let baseline: Row[];

/** A row without its wall-clock metrics: what must be equal between two runs of a trial. */
function deterministic(rows: readonly Row[]): unknown[] {
  return [...rows]
    .sort((a, b) => a.index - b.index)
    .map((r) => ({ ...r, metrics: Object.fromEntries(Object.entries(r.metrics).filter(([k]) => !isWallClock(k))) }));
}

async function rowsIn(out: string): Promise<Row[]> {
  return (await readJournal(join(out, 'rows.jsonl'))).rows;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capsim-experiment-'));
  const run = await runExperiment({ file: FILE, out: join(dir, 'one'), workers: 1, shard: null, resume: false });
  expect(run.complete).toBe(true);
  baseline = await rowsIn(join(dir, 'one'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('capsim experiment run', () => {
  it('runs every trial once and writes results, summary, plots and a report', async () => {
    expect(baseline).toHaveLength(24);
    expect(new Set(baseline.map((r) => r.trial)).size).toBe(24);
    const out = join(dir, 'one');
    for (const f of ['results.csv', 'results.json', 'summary.json', 'report.md', 'plots/lost.svg']) expect(existsSync(join(out, f)), f).toBe(true);
    const csv = readFileSync(join(out, 'results.csv'), 'utf8').trimEnd().split('\n');
    expect(csv).toHaveLength(25);
    expect(csv[0]).toMatch(/^trial,system,seed,model,.*,cranksLost,.*,counted,replay$/);
    const svg = readFileSync(join(out, 'plots/lost.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('cranksLost');
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('24 of 24 trial(s)');
    expect(report).toContain('| pairs pairs=1 model=explicit fault=none | 2 |');
    expect(report).toContain('![lost](plots/lost.svg)');
    // Under the checkpoint model a power loss loses work but no commit; the fault-free cells lose nothing.
    const cell = (r: Row): string => `${r.system} ${String(r.params.model)} ${String(r.params.fault)}`;
    for (const r of baseline) {
      if (r.params.fault === 'none') expect(r.metrics.cranksLost, cell(r)).toBe(0);
      if (r.params.model === 'checkpoint') expect(r.metrics.commitsLost, cell(r)).toBe(0);
      expect(r.metrics.violations, cell(r)).toBe(0);
    }
    expect(baseline.some((r) => (r.metrics.cranksLost ?? 0) > 0)).toBe(true);
  });

  it('gives the same rows with two workers as with one, wall-clock columns aside', async () => {
    await runExperiment({ file: FILE, out: join(dir, 'two'), workers: 2, shard: null, resume: false });
    expect(deterministic(await rowsIn(join(dir, 'two')))).toEqual(deterministic(baseline));
  });

  it('gives three shards that, merged, equal one unsharded run', async () => {
    const outs = [0, 1, 2].map((i) => join(dir, `shard${i}`));
    for (const [index, out] of outs.entries()) {
      const run = await runExperiment({ file: FILE, out, workers: 1, shard: { index, count: 3 }, resume: false });
      expect(run.share).toBe(8);
    }
    const merged = await mergeExperiments(FILE, outs, join(dir, 'merged'));
    expect(merged.rows).toBe(24);
    expect(deterministic(await rowsIn(join(dir, 'merged')))).toEqual(deterministic(baseline));
    expect(readFileSync(join(dir, 'merged/report.md'), 'utf8')).toContain('24 of 24 trial(s)');
  });

  it('replays one trial from the command its row carries', async () => {
    const row = baseline.find((r) => r.params.fault !== 'none' && r.system === 'transfer-naive') as Row;
    expect(row.replay).toBe(`capsim experiment run ${FILE} --trial ${row.trial}`);
    expect(deterministic([await replayTrial(FILE, row.trial)])).toEqual(deterministic([row]));
  });

  it('resumes a run killed with SIGKILL: the trials in flight are run again, none twice, the rows the same', async () => {
    const out = join(dir, 'killed');
    const child = spawn('node', ['bin/capsim.js', 'experiment', 'run', FILE, '--out', out, '--workers', '1'], { cwd: repo, stdio: 'ignore' });
    const journal = join(out, 'rows.jsonl');
    // Kill once some rows, but not all, are journaled.
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (existsSync(journal) && readFileSync(journal, 'utf8').split('\n').length > 6) break;
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const before = await rowsIn(out);
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(24);
    const resumed = await runExperiment({ file: FILE, out, workers: 1, shard: null, resume: true });
    expect(resumed.resumed).toBe(before.length);
    expect(resumed.ran).toBe(24 - before.length);
    expect(deterministic(await rowsIn(out))).toEqual(deterministic(baseline));
  });

  it('refuses to resume or merge rows of another experiment, naming the file', async () => {
    const other = join(repo, 'experiments/checkpoint-interval.ts');
    const r = await runCapsim(['experiment', 'run', other, '--out', join(dir, 'one'), '--resume', '--workers', '1']);
    expectOneLineError(r, 1, /rows\.jsonl holds experiment 'small', not 'checkpoint-interval'/);
  });
});

describe('capsim experiment errors', () => {
  it.each([
    [['experiment', 'run', 'no-such.ts'], 2, /no-such\.ts: no such file/],
    [['experiment', 'run', FILE, '--workers', '0'], 2, /--workers must be a whole number in 1\.\.256, got '0'/],
    [['experiment', 'run', FILE, '--shard', '4/3'], 2, /--shard must be K\/N/],
    [['experiment', 'run', FILE, '--trial', 'c99-s1'], 2, /no trial 'c99-s1'/],
    [['experiment', 'run', 'package.json'], 2, /package\.json: systems must be a non-empty list/],
    [['experiment', 'run', 'test/tools/experiment/fixtures/throwing-metric.ts', '--workers', '1', '--out', join(tmpdir(), 'capsim-throwing-1')], 2, /custom metric 'broken' threw on trial c0-s1: no balance here/],
    [['experiment', 'run', 'test/tools/experiment/fixtures/throwing-metric.ts', '--workers', '2', '--out', join(tmpdir(), 'capsim-throwing-2')], 1, /^capsim: custom metric 'broken' threw on trial c0-s\d: no balance here$/],
    [['experiment', 'run', '/nonexistent-dir/../package.json'], 2, /no such file/],
  ])('capsim %j: one line, exit %i', async (args, code, pattern) => {
    expectOneLineError(await runCapsim(args), code, pattern);
  });
});
