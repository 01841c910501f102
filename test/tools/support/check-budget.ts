/**
 * The crash explorer's share of `npm test`: random schedules over some examples, each run judged
 * on every invariant. Split over several files so vitest's forks run them side by side; each
 * file asserts its own share of runs and power-loss recoveries (together at least 10,000 runs
 * and 20,000 recoveries). The seed is printed; CAPSIM_SEED replays it.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../../examples/index.ts';
import type { BuiltInModelName } from '../../../restart-agent/index.ts';
import { explore } from '../../../tools/check/explore.ts';
import { formatFailure } from '../../../tools/check/format.ts';
import { vocabularyOf } from '../../../tools/check/workload.ts';
import { runSeed } from '../../support/seed.ts';

/** Cranks before each fault: the examples are small, and short runs buy more crash points per second. */
const MAX_CRANKS = 10;
/** Faults per schedule: one to four, so a run averages well over two restarts. */
const MAX_STEPS = 4;

export interface Share {
  system: string;
  model: BuiltInModelName;
  runs: number;
}

export function budgetSuite(title: string, shares: Share[]): void {
  describe(title, () => {
    it.each(shares)('$system ($model): $runs random fault schedules, no invariant violated', async ({ system, model, runs }) => {
      const spec = EXAMPLES[system];
      if (spec === undefined) throw new Error(`no example ${system}`);
      const seed = runSeed();
      const result = await explore(spec, { runs, seed, model, maxCranks: MAX_CRANKS, maxSteps: MAX_STEPS });
      const f = result.failure;
      if (f !== null) {
        expect.fail(`${system} (${model}) seed ${seed} (replay: CAPSIM_SEED=${seed}, or capsim check ${system} --model ${model} --max-cranks ${MAX_CRANKS} --max-steps ${MAX_STEPS} --seed ${f.seed} --path ${f.path}):\n${formatFailure(f.schedule, f.outcome, vocabularyOf(spec).labels)}`);
      }
      expect(result.runs).toBe(runs);
      // Every step ends in a fault and a restart; schedules have one to four steps (2.5 on average;
      // a damaged value ends a run early, so the bound is below the mean).
      expect(result.stats.restarts, `seed ${seed}`).toBeGreaterThanOrEqual(2 * runs);
      expect(result.stats.checked.get('I1 durability') ?? 0).toBeGreaterThanOrEqual(runs);
      console.log(`check ${system} (${model}), seed ${seed}: ${result.runs} runs, ${result.stats.restarts} recoveries, ${result.stats.cranks} cranks, ${Math.round(result.timeMs)} ms`);
    });
  });
}
