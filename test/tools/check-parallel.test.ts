/**
 * `capsim check --workers N --shard K/N` (tools/check/parallel.ts): the runs spread over worker
 * threads give the very result one thread gives — the same runs, stats, violation, seed, path
 * and shrunk schedule — and shards cut the runs into disjoint slices that together are the
 * unsharded check, stats summed. Random and exhaustive mode alike; and on the command line, a
 * violation found in a worker prints the replay line one thread prints, which replays alone.
 */
import { describe, expect, it } from 'vitest';
import type { BrokenVariant } from '../../restart-agent/broken-variants.ts';
import { SCHEDULE_DEFAULTS } from '../../tools/check/arbitraries.ts';
import { addStats, emptyStats, type ExecuteOptions } from '../../tools/check/execute.ts';
import { exhaustive } from '../../tools/check/exhaustive.ts';
import { explore, type ExploreResult } from '../../tools/check/explore.ts';
import type { ReplaySetting } from '../../tools/check/format.ts';
import { blocksOf, exhaustiveSpread, exploreSpread } from '../../tools/check/parallel.ts';
import { faultKindsFor } from '../../tools/check/schedule.ts';
import { loadSystem } from '../../tools/cli/load-system.ts';
import { shardOf } from '../../tools/parallel/shard.ts';
import { expectOneLineError, runCapsim } from '../support/cli.ts';
import { runSeed } from '../support/seed.ts';

function settingOf(system: string, variant: BrokenVariant | null = null): ReplaySetting {
  return { system, model: 'explicit', faults: faultKindsFor('explicit'), maxSteps: SCHEDULE_DEFAULTS.maxSteps, maxCranks: SCHEDULE_DEFAULTS.maxCranks, variant, release: 'safe' };
}

function execOf(setting: ReplaySetting): ExecuteOptions {
  return { model: 'explicit', release: 'safe', ...(setting.variant !== null ? { variant: setting.variant } : {}) };
}

/** What must agree between two explorations: everything but the time taken. */
function comparable(result: ExploreResult): unknown {
  const { timeMs: _timeMs, ...rest } = result;
  return rest;
}

describe('blocks and shards of a random check', () => {
  it('cut the runs into blocks of a size that depends on the run count alone, and shards into disjoint slices covering them', () => {
    for (const runs of [1, 9, 10, 11, 200, 4001, 1_000_000]) {
      const blocks = blocksOf(runs);
      expect(blocks.reduce((sum, b) => sum + b.count, 0)).toBe(runs);
      expect(blocks.every((b, i) => b.from === (blocks[i - 1] === undefined ? 0 : (blocks[i - 1] as { from: number; count: number }).from + (blocks[i - 1] as { count: number }).count))).toBe(true);
      const slices = [0, 1, 2].map((index) => shardOf(blocks, { index, count: 3 }).map((b) => b.index));
      expect(slices.flat().sort((a, b) => a - b)).toEqual(blocks.map((b) => b.index));
    }
  });
});

describe('random mode', () => {
  it('on 2 workers gives what one thread gives: the same runs and stats when nothing is violated', async () => {
    const seed = runSeed();
    const setting = settingOf('counter');
    const spec = await loadSystem('counter');
    const one = await explore(spec, { ...execOf(setting), runs: 40, seed, faults: setting.faults, maxSteps: setting.maxSteps, maxCranks: setting.maxCranks });
    const two = await exploreSpread(spec, execOf(setting), setting, { workers: 2, shard: null, runs: 40, seed });
    expect(comparable(two), `seed ${seed}`).toEqual(comparable(one));
    expect(one.runs).toBe(40);
  });

  it('on 2 workers finds the violation one thread finds, at the same run, shrunk to the same schedule and path', async () => {
    const seed = runSeed();
    const setting = settingOf('counter', 'split-commit');
    const spec = await loadSystem('counter');
    const one = await explore(spec, { ...execOf(setting), runs: 300, seed, faults: setting.faults, maxSteps: setting.maxSteps, maxCranks: setting.maxCranks });
    expect(one.failure, `seed ${seed}: split-commit not found`).not.toBeNull();
    const two = await exploreSpread(spec, execOf(setting), setting, { workers: 2, shard: null, runs: 300, seed });
    expect(two.failure?.path, `seed ${seed}`).toBe(one.failure?.path);
    expect(comparable(two), `seed ${seed}`).toEqual(comparable(one));
  });

  it('in 3 shards (one thread each) covers exactly the unsharded runs: runs and stats sum to the whole', async () => {
    const seed = runSeed();
    const setting = settingOf('counter');
    const spec = await loadSystem('counter');
    const whole = await exploreSpread(spec, execOf(setting), setting, { workers: 1, shard: null, runs: 50, seed });
    const shards = await Promise.all([0, 1, 2].map((index) => exploreSpread(spec, execOf(setting), setting, { workers: 1, shard: { index, count: 3 }, runs: 50, seed })));
    const summed = emptyStats();
    for (const s of shards) addStats(summed, s.stats);
    expect(shards.map((s) => s.runs), `seed ${seed}`).toEqual([20, 20, 10]);
    expect(summed, `seed ${seed}`).toEqual(whole.stats);
    expect(whole.runs).toBe(50);
  });
});

describe('exhaustive mode', () => {
  it('on 2 workers, and in 2 shards summed, gives what one thread gives', async () => {
    const setting = settingOf('counter');
    const spec = await loadSystem('counter');
    const one = await exhaustive(spec, { ...execOf(setting), ops: 2, syncEvery: 3 });
    const two = await exhaustiveSpread(spec, execOf(setting), setting, { workers: 2, shard: null, ops: 2, syncEvery: 3 });
    expect({ runs: two.runs, stats: two.stats, scenarios: two.scenarios, failure: two.failure }).toEqual({ runs: one.runs, stats: one.stats, scenarios: one.scenarios, failure: null });
    const halves = await Promise.all([0, 1].map((index) => exhaustiveSpread(spec, execOf(setting), setting, { workers: 1, shard: { index, count: 2 }, ops: 2, syncEvery: 3 })));
    const summed = emptyStats();
    for (const h of halves) addStats(summed, h.stats);
    expect(halves.map((h) => h.share)).toEqual([Math.ceil(one.scenarios / 2), Math.floor(one.scenarios / 2)]);
    expect(halves.reduce((sum, h) => sum + h.runs, 0)).toBe(one.runs);
    expect(summed).toEqual(one.stats);
  });

  it('on 2 workers stops at the first scenario with a violation, as one thread does', async () => {
    const setting = settingOf('counter', 'split-commit');
    const spec = await loadSystem('counter');
    const one = await exhaustive(spec, { ...execOf(setting), ops: 2, syncEvery: 3 });
    expect(one.failure).not.toBeNull();
    const two = await exhaustiveSpread(spec, execOf(setting), setting, { workers: 2, shard: null, ops: 2, syncEvery: 3 });
    expect({ runs: two.runs, stats: two.stats, schedule: two.failure?.schedule, violations: two.failure?.outcome.violations }).toEqual({ runs: one.runs, stats: one.stats, schedule: one.failure?.schedule, violations: one.failure?.outcome.violations });
  });
});

describe.concurrent('capsim check --workers and --shard on the command line', () => {
  it('a violation found on 2 workers prints the replay line one thread prints', async () => {
    const args = ['check', 'bank', '--runs', '300', '--seed', '7'];
    const env = { CAPSIM_BROKEN_VARIANT: 'keep-revoked' };
    const [one, two] = await Promise.all([runCapsim(args, env), runCapsim([...args, '--workers', '2'], env)]);
    expect(two.code, two.stderr).toBe(1);
    const replay = (out: string): string | undefined => /^replay: (.+)$/m.exec(out)?.[1];
    expect(replay(two.stdout)).toBeDefined();
    expect(replay(two.stdout)).toBe(replay(one.stdout));
    expect(two.stderr).toBe(one.stderr);
    // The replay runs alone, --workers or not: `VAR=value npx capsim check ...`, no quoting needed here.
    const words = (replay(two.stdout) as string).split(' ');
    expect(words.slice(0, 3)).toEqual(['CAPSIM_BROKEN_VARIANT=keep-revoked', 'npx', 'capsim']);
    const again = await runCapsim([...words.slice(3), '--workers', '2'], env);
    const violated = (out: string): string | undefined => /^VIOLATED: (.+)$/m.exec(out)?.[1];
    expect(again.code).toBe(1);
    expect(violated(again.stdout)).toBe(violated(two.stdout));
    expect(again.stdout).toMatch(/\): 1 run\(s\)/);
  });

  it('a shard runs its slice and says so; --shard without --seed, a bad --shard, and --shard with a replay are usage errors', async () => {
    const [shard, noSeed, bad, withPath, slurm] = await Promise.all([
      runCapsim(['check', 'counter', '--runs', '30', '--seed', '4', '--shard', '2/3', '--json']),
      runCapsim(['check', 'counter', '--shard', '1/2']),
      runCapsim(['check', 'counter', '--seed', '1', '--shard', '3/2']),
      runCapsim(['check', 'counter', '--seed', '1', '--path', '0', '--shard', '1/2']),
      runCapsim(['check', 'counter', '--runs', '30', '--seed', '4', '--json'], { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '3' }),
    ]);
    expect(shard.code, shard.stderr).toBe(0);
    const summary = JSON.parse(shard.stdout) as { runs: number; shard: unknown };
    expect(summary).toMatchObject({ runs: 10, shard: { index: 1, count: 3 } });
    expect(JSON.parse(slurm.stdout)).toMatchObject({ runs: 10, shard: { index: 1, count: 3 } });
    expectOneLineError(noSeed, 2, /--shard needs --seed/);
    expectOneLineError(bad, 2, /--shard must be K\/N/);
    expectOneLineError(withPath, 2, /--shard slices an exploration/);
  });
});
