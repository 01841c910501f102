/**
 * The crash explorer (tools/check) on the two new examples, under every model: random
 * workloads and every fault it knows (power loss keeping a prefix, failed writes, a power loss
 * during a restart, a damaged value, a cut-short checkpoint), every invariant judged after each
 * restart — I4 and I5 included, which look at sturdy references too. The seed is printed on
 * failure; CAPSIM_SEED replays it.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../../examples/index.ts';
import { PERSISTENCE_MODELS } from '../../../restart-agent/system.ts';
import { explore } from '../../../tools/check/explore.ts';
import { runSeed } from '../../support/seed.ts';

describe('the crash explorer on sturdy-clients and service-graph', () => {
  for (const system of ['sturdy-clients', 'service-graph']) {
    for (const model of PERSISTENCE_MODELS) {
      it(`${system}, ${model}: 60 runs, no violation`, async () => {
        const seed = runSeed();
        const result = await explore(EXAMPLES[system] as never, { runs: 60, seed, model });
        expect(result.failure?.outcome.violations ?? [], `${system} ${model}, seed ${seed} (CAPSIM_SEED=${seed})`).toEqual([]);
        expect(result.stats.checked.get('I4 no amplification') ?? 0).toBeGreaterThan(0);
        expect(result.stats.checked.get('I5 revocation') ?? 0).toBeGreaterThan(0);
      }, 60_000);
    }
  }
});
