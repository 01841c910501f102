/**
 * A longer real crash campaign than `npm test` runs: KILLS SIGKILLs of the crash child over
 * LANES folders side by side, each checked as in crash.test.ts.
 *
 * usage: node bin/run-ts.js test/store/crash-campaign.ts [--kills 500] [--lanes 4] [--max-delay-ms 200]
 * CAPSIM_SEED=<n> replays the same kill schedule.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { campaignFlags } from '../support/campaign-flags.ts';
import { checkAfterKill, runAndKill } from './crash-harness.ts';
import { prng, runSeed } from './seed.ts';

const { kills, lanes, maxDelayMs } = campaignFlags({ kills: 500, lanes: 4, maxDelayMs: 200 });

const seed = runSeed();
const random = prng(seed);
const root = mkdtempSync(join(tmpdir(), 'capsim-crash-campaign-'));
const plans = Array.from({ length: lanes }, (_, lane) =>
  Array.from({ length: Math.floor(kills / lanes) + (lane < kills % lanes ? 1 : 0) }, () => ({ ms: Math.floor(random() * maxDelayMs), early: random() < 0.1 })),
);
console.log(`crash campaign: ${kills} kills over ${lanes} folders, seed ${seed}`);
const started = Date.now();
let done = 0;
let batches = 0;
try {
  await Promise.all(
    plans.map(async (plan, lane) => {
      const dir = join(root, `lane-${lane}`);
      let durable = 0;
      for (const [k, { ms, early }] of plan.entries()) {
        const acked = await runAndKill(dir, ms, early);
        try {
          durable = await checkAfterKill(dir, Math.max(durable, acked));
        } catch (error) {
          throw new Error(`lane ${lane}, kill ${k}: ${(error as Error).message}`);
        }
        batches = Math.max(batches, durable);
        if (++done % 50 === 0) console.log(`  ${done}/${kills} kills checked`);
      }
    }),
  );
  console.log(`ok: ${done} kills, every acknowledged batch whole, no batch in part; up to ${batches} batches per folder (${((Date.now() - started) / 1000).toFixed(1)} s)`);
} catch (error) {
  console.error(`FAILED after ${done} kills: ${(error as Error).message}\nreplay with CAPSIM_SEED=${seed}`);
  process.exitCode = 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
