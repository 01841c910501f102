/**
 * Exhaustive crash points and determinism. Every scenario of up to three inputs (from each
 * system's first three distinct inputs), every crank boundary until idle, every prefix of the
 * unsynced commits a power loss may keep: one restart each, every invariant judged. And I9:
 * the same schedule twice gives the same trace hashes, over 20 seeds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../examples/index.ts';
import { scheduleArbitrary } from '../../tools/check/arbitraries.ts';
import { exhaustive, scenarios } from '../../tools/check/exhaustive.ts';
import { runSchedule } from '../../tools/check/execute.ts';
import { formatFailure } from '../../tools/check/format.ts';
import { vocabularyOf } from '../../tools/check/workload.ts';
import { runSeed } from '../support/seed.ts';

describe('scenarios()', () => {
  it('lists every sequence of 0..ops symbols, shortest first', () => {
    expect(scenarios(2, 2)).toEqual([[], [0], [1], [0, 0], [0, 1], [1, 0], [1, 1]]);
    expect(scenarios(3, 3)).toHaveLength(1 + 3 + 9 + 27);
    expect(scenarios(0, 3)).toEqual([[]]);
  });
});

describe('every crash point of every scenario of up to 3 inputs', () => {
  it.each(['counter', 'bank', 'file-server', 'transfer', 'boot-chain'])('%s', async (name) => {
    const spec = EXAMPLES[name];
    if (spec === undefined) throw new Error(`no example ${name}`);
    const result = await exhaustive(spec, { ops: 3, alphabet: 3, syncEvery: 3, maxCranks: 40 });
    if (result.failure !== null) expect.fail(`${name}: ${formatFailure(result.failure.schedule, result.failure.outcome, vocabularyOf(spec).labels)}`);
    const alphabet = Math.min(3, vocabularyOf(spec).inputs.length);
    expect(result.scenarios).toBe(scenarios(alphabet, 3).length);
    // At least one crash point per crank boundary of each scenario, and prefixes beyond it.
    expect(result.runs).toBeGreaterThan(result.scenarios * 3);
    expect(result.stats.restarts).toBe(result.runs);
    expect(result.stats.checked.get('I1/I2 crank cut')).toBe(result.runs);
  });
});

describe('I9 determinism over 20 seeds', () => {
  it('the same schedule run twice gives the same trace hash at every fault, and a different seed a different one', async () => {
    const seed = runSeed();
    const spec = EXAMPLES['bank'];
    if (spec === undefined) throw new Error('no bank');
    const schedules = fc.sample(scheduleArbitrary(spec, { faults: ['power', 'write', 'restart'] }), { numRuns: 20, seed });
    const hashes = new Set<string>();
    for (const [i, schedule] of schedules.entries()) {
      const outcome = await runSchedule(spec, { ...schedule, repeat: true });
      expect(outcome.violations, `seed ${seed} schedule ${i}: ${JSON.stringify(schedule)}`).toEqual([]);
      expect(outcome.stats.checked.get('I9 determinism')).toBe(1);
      hashes.add(outcome.log.map((l) => l.traceHash).join(','));
    }
    // Twenty drawn schedules are not all alike: the hash would pass vacuously if it never changed.
    expect(hashes.size, `seed ${seed}`).toBeGreaterThan(10);
  });
});
