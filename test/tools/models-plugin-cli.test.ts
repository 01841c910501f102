/**
 * Persistence models as plug-ins on the command line: the transcript model through run, boot,
 * compare and check; a model of one's own through --model PATH; a module that is no model is
 * one line naming the file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runCapsim, type CliRun } from '../support/cli.ts';

const capsim = (...args: string[]): Promise<CliRun> => runCapsim(args);

interface Report {
  model: string;
  lostCranks: number | null;
  transcript?: { replayedCranks: number; replayMs: number };
  invariants: { name: string; verdict: 'ok' | 'violated' | 'not_checked' }[];
}

const verdictOf = (r: Report, name: string): string | undefined => r.invariants.find((v) => v.name === name)?.verdict;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capsim-plugins-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('persistence models as plug-ins on the command line', () => {
  it('run --model transcript replays the transcript at the restart and loses nothing synced; boot reopens the store under it', async () => {
    const store = join(dir, 'transcript');
    const r = await capsim('run', 'bank', '--model', 'transcript', '--checkpoint-every', '20', '--sync-every', '1', '--cranks', '50', '--power-loss-at', '30', '--store', store, '--json');
    expect(r.code, r.stderr).toBe(0);
    const restart = (JSON.parse(r.stdout) as { restart: Report }).restart;
    expect(restart.model).toBe('transcript');
    expect(restart.lostCranks).toBe(0);
    expect(restart.transcript?.replayedCranks).toBeGreaterThan(0);
    expect(verdictOf(restart, 'I10 after replay')).toBe('ok');
    const booted = await capsim('boot', '--store', store);
    expect(booted.code, booted.stderr).toBe(0);
    expect(booted.stdout).toMatch(/model transcript/);
    expect(booted.stdout).toMatch(/transcript: replayed \d+ crank\(s\) after the checkpoint of crank \d+ in [\d.]+ ms/);
  });

  it('--model PATH runs a model of one\'s own, and compare sets it beside the built-ins', async () => {
    const own = 'experiments/models/sync-on-output.ts';
    const r = await capsim('compare', 'counter', '--power-loss-at', '20', '--cranks', '40', '--models', `explicit,transcript,${own}`, '--json');
    expect(r.code, r.stderr).toBe(0);
    const runs = (JSON.parse(r.stdout) as { runs: Record<string, { model: string; restart: Report }> }).runs;
    expect(Object.keys(runs)).toEqual(['explicit', 'transcript', 'sync-on-output']);
    expect(runs['sync-on-output']!.restart.model).toBe('sync-on-output');
    for (const run of Object.values(runs)) expect(run.restart.invariants.filter((v) => v.verdict === 'violated')).toEqual([]);
  });

  it('check --model transcript explores crashes, replays included, and finds nothing', async () => {
    const r = await capsim('check', 'counter', '--model', 'transcript', '--runs', '15', '--seed', '4', '--json');
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { model: string; violations: unknown[]; invariants: { name: string; verdicts: number }[] };
    expect(summary.model).toBe('transcript');
    expect(summary.violations).toEqual([]);
    expect(summary.invariants.find((i) => i.name === 'I10 after replay')?.verdicts).toBeGreaterThan(0);
  });

  it('a module that is not a model is one line naming the file', async () => {
    expectOneLineError(await capsim('run', 'counter', '--model', 'test/tools/fixtures/models/no-model.ts'), 1, /^capsim: test\/tools\/fixtures\/models\/no-model\.ts: exports no 'model'/);
    expectOneLineError(await capsim('run', 'counter', '--model', './nowhere/model.ts'), 1, /^capsim: \.\/nowhere\/model\.ts: no such file/);
  });
});
