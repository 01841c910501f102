/**
 * A checker is only worth what it catches: each deliberately broken variant of the restart agent
 * (restart-agent/broken-variants.ts), given to the explorer as its `variant` option, must be
 * found within a bounded number of runs, and shrunk: smaller than found (a local minimum, so
 * small but not always one step). The option is the exploration's own: another exploration
 * running beside it at the same time finds nothing. And end to end: `capsim check` on a broken
 * variant prints a replay command that, run as printed, shows the same violation; --json carries
 * the figures; an unknown model is a one-line usage error.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../examples/index.ts';
import type { BrokenVariant } from '../../restart-agent/broken-variants.ts';
import { explore, type Failure } from '../../tools/check/explore.ts';
import type { Schedule } from '../../tools/check/schedule.ts';
import { runSeed } from '../support/seed.ts';
import { runCapsim } from '../support/cli.ts';

const RUNS_MAX = 300;

/** Steps, and cranks in all, of a schedule. */
function size(schedule: Schedule): { steps: number; cranks: number } {
  return { steps: schedule.steps.length, cranks: schedule.steps.reduce((n, step) => n + step.cranks, 0) };
}

/** Shrinking made the failure no bigger than it was found, and worked on it unless it was minimal already. */
function expectShrunk(f: Failure, seed: number): void {
  const before = size(f.original);
  const after = size(f.schedule);
  const context = `seed ${seed}: found ${JSON.stringify(f.original)}, shrunk to ${JSON.stringify(f.schedule)}`;
  expect(after.steps, context).toBeLessThanOrEqual(before.steps);
  expect(after.cranks, context).toBeLessThanOrEqual(before.cranks);
  // Shrinking took steps (it may simplify faults and inputs, not only cut cranks), unless the first was minimal.
  if (before.steps > 1 || before.cranks > 1) expect(f.shrinks, context).toBeGreaterThan(0);
}

describe.each<[BrokenVariant, string, string]>([
  ['keep-revoked', 'bank', 'I5 revocation'],
  ['split-commit', 'counter', 'I1/I2 crank cut'],
  ['reuse-id', 'ping-pong', 'I6 fresh IDs'],
])('broken variant %s', (variant, system, invariant) => {
  it(`is found on ${system} within ${RUNS_MAX} runs, as a violation of ${invariant}, and shrunk`, async () => {
    const spec = EXAMPLES[system];
    if (spec === undefined) throw new Error(`no example ${system}`);
    const seed = runSeed();
    const result = await explore(spec, { runs: RUNS_MAX, seed, variant });
    const f = result.failure;
    expect(f, `seed ${seed}: not found`).not.toBeNull();
    if (f === null) return;
    expect(f.runsToFailure, `seed ${seed}`).toBeLessThanOrEqual(RUNS_MAX);
    expect(f.outcome.violations.map((v) => v.invariant), `seed ${seed}`).toContain(invariant);
    expectShrunk(f, seed);
    // Shrinking reaches a local minimum, small here: plain power losses after a few cranks.
    expect(size(f.schedule).cranks, `seed ${seed}: ${JSON.stringify(f.schedule)}`).toBeLessThanOrEqual(6);
    expect(f.schedule.steps.every((step) => step.fault.kind === 'power'), `seed ${seed}: ${JSON.stringify(f.schedule)}`).toBe(true);
    console.log(`${variant} on ${system} (seed ${seed}): found after ${f.runsToFailure} run(s), shrunk ${f.shrinks} time(s)`);
  });
});

describe('broken variant torn-checkpoint', () => {
  it(`is found on transfer-naive under the checkpoint model within ${RUNS_MAX} runs, as a violation of I10, and shrunk`, async () => {
    const seed = runSeed();
    const result = await explore(EXAMPLES['transfer-naive'] as never, { runs: RUNS_MAX, seed, model: 'checkpoint', variant: 'torn-checkpoint' });
    const f = result.failure;
    expect(f, `seed ${seed}: not found`).not.toBeNull();
    if (f === null) return;
    expect(f.outcome.violations.map((v) => v.invariant), `seed ${seed}`).toContain('I10 checkpoint equivalence');
    expectShrunk(f, seed);
    console.log(`torn-checkpoint on transfer-naive (seed ${seed}): found after ${f.runsToFailure} run(s), shrunk ${f.shrinks} time(s)`);
  });

  it('the same schedules pass under the checkpoint model with the variant off', async () => {
    const seed = runSeed();
    const result = await explore(EXAMPLES['transfer-naive'] as never, { runs: 100, seed, model: 'checkpoint' });
    expect(result.failure?.outcome.violations ?? [], `seed ${seed}`).toEqual([]);
  });
});

describe('a variant is an option of one exploration, not of the process', () => {
  it('two explorations of bank at once, one with keep-revoked: that one finds I5 broken, the other finds nothing', async () => {
    const seed = runSeed();
    const bank = EXAMPLES['bank'] as never;
    // Both run in this process at the same time, their runs interleaved at every await.
    const [broken, faithful] = await Promise.all([explore(bank, { runs: RUNS_MAX, seed, variant: 'keep-revoked' }), explore(bank, { runs: 100, seed })]);
    expect(broken.failure?.outcome.violations.map((v) => v.invariant) ?? [], `seed ${seed}: the broken exploration`).toContain('I5 revocation');
    expect(faithful.failure?.outcome.violations ?? [], `seed ${seed}: the faithful exploration`).toEqual([]);
    expect(faithful.runs, `seed ${seed}`).toBe(100);
  });
});

describe('the same schedules pass with every variant off', () => {
  it('bank, counter, ping-pong: 100 runs each, no violation', async () => {
    const seed = runSeed();
    for (const system of ['bank', 'counter', 'ping-pong']) {
      const result = await explore(EXAMPLES[system] as never, { runs: 100, seed });
      expect(result.failure?.outcome.violations ?? [], `${system} seed ${seed}`).toEqual([]);
    }
  });
});


const capsim = runCapsim;

/** Splits a printed replay command (`VAR=value npx capsim check ...`) into env and arguments. */
function parseReplay(line: string): { env: Record<string, string>; args: string[] } {
  const words = [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : (m[2] as string)));
  const env: Record<string, string> = {};
  while (words[0]?.includes('=')) {
    const [k, v] = (words.shift() as string).split('=');
    env[k as string] = v as string;
  }
  expect(words.slice(0, 3)).toEqual(['npx', 'capsim', 'check']);
  return { env, args: words.slice(2) };
}

describe.concurrent('capsim check on the command line', () => {
  it('a broken variant: exit 1, the shrunk schedule printed, and its replay command shows the same violation', async () => {
    const first = await capsim(['check', 'bank', '--runs', '300', '--seed', '7'], { CAPSIM_BROKEN_VARIANT: 'keep-revoked' });
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toMatch(/VIOLATED: .*I5 revocation/);
    expect(first.stdout).toMatch(/step 1: run up to \d+ crank\(s\)/);
    expect(first.stderr).toMatch(/^capsim: invariant violated: /);
    const line = /^replay: (.+)$/m.exec(first.stdout)?.[1];
    expect(line).toBeDefined();
    const { env, args } = parseReplay(line as string);
    expect(env).toEqual({ CAPSIM_BROKEN_VARIANT: 'keep-revoked' });
    expect(args).toContain('--path');
    const again = await capsim(args, env);
    expect(again.code).toBe(1);
    const violated = (out: string): string | undefined => /^VIOLATED: (.+)$/m.exec(out)?.[1];
    expect(violated(again.stdout)).toBe(violated(first.stdout));
    const detail = (out: string): string[] => out.split('\n').filter((l) => l.startsWith('  ! '));
    expect(detail(again.stdout)).toEqual(detail(first.stdout));
  });

  it('--json: runs, faults and violations as one object; exit 0 when clean', async () => {
    const r = await capsim(['check', 'counter', '--runs', '40', '--seed', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { runs: number; faults: { total: number }; violations: unknown[]; restarts: number; invariants: { name: string; verdicts: number }[] };
    expect(summary.runs).toBe(40);
    expect(summary.faults.total).toBeGreaterThanOrEqual(40);
    expect(summary.violations).toEqual([]);
    expect(summary.restarts).toBeGreaterThanOrEqual(40);
    expect(summary.invariants.find((i) => i.name === 'I1 durability')?.verdicts).toBeGreaterThanOrEqual(40);
  });

  it('an unknown model or fault kind is a one-line usage error, exit 2', async () => {
    for (const args of [['--model', 'eros'], ['--faults', 'meteor']]) {
      const r = await capsim(['check', 'counter', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^capsim: --(model|faults) /);
    }
  });

  it('an unknown CAPSIM_BROKEN_VARIANT is a one-line usage error naming the known ones, exit 2', async () => {
    const r = await capsim(['check', 'counter', '--runs', '1'], { CAPSIM_BROKEN_VARIANT: 'keep-everything' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^capsim: CAPSIM_BROKEN_VARIANT must be one of keep-revoked, split-commit, reuse-id, torn-checkpoint, got 'keep-everything'$/m);
  });
});
