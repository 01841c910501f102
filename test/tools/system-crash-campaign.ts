/**
 * A longer System-level crash campaign than `npm test` runs: KILLS SIGKILLs of the system crash
 * child over LANES folders side by side, each checked as in check-crash.test.ts. Even lanes sync
 * every commit, odd lanes every fourth; either way every acknowledged commit must survive the
 * kill (support/system-crash.ts says why).
 *
 * usage: node bin/run-ts.js test/tools/system-crash-campaign.ts [--kills 200] [--lanes 4] [--max-delay-ms 300]
 * CAPSIM_SEED=<n> replays the same kill schedule.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '../store/seed.ts';
import { campaignFlags } from '../support/campaign-flags.ts';
import { runSeed } from '../support/seed.ts';
import { checkSystemAfterKill, runAndKillSystem } from './support/system-crash.ts';

const { kills, lanes, maxDelayMs } = campaignFlags({ kills: 200, lanes: 4, maxDelayMs: 300 });
const syncEveryOf = (lane: number): number => (lane % 2 === 0 ? 1 : 4);
const seed = runSeed();
const random = prng(seed);
const root = mkdtempSync(join(tmpdir(), 'capsim-system-crash-campaign-'));
const plans = Array.from({ length: lanes }, (_, lane) => Array.from({ length: Math.floor(kills / lanes) + (lane < kills % lanes ? 1 : 0) }, () => Math.floor(random() * maxDelayMs)));
console.log(`system crash campaign: ${kills} kills over ${lanes} folders (syncEvery ${[...new Set(plans.map((_, l) => syncEveryOf(l)))].join(' and ')}), seed ${seed}; every acknowledged commit, synced or not, must survive`);
const started = Date.now();
let done = 0;
let highest = 0;
try {
  await Promise.all(
    plans.map(async (plan, lane) => {
      const dir = join(root, `lane-${lane}`);
      let before = 0;
      for (const [k, ms] of plan.entries()) {
        const acked = await runAndKillSystem(dir, ms, seed, syncEveryOf(lane));
        try {
          before = await checkSystemAfterKill(dir, Math.max(acked, before));
        } catch (error) {
          throw new Error(`lane ${lane}, kill ${k}: ${(error as Error).message}`);
        }
        highest = Math.max(highest, before);
        if (++done % 20 === 0) console.log(`  ${done}/${kills} kills checked`);
      }
    }),
  );
  console.log(`ok: ${done} kills, every acknowledged crank there, every boot clean; counts up to ${highest} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
} catch (error) {
  console.error(`FAILED after ${done} kills: ${(error as Error).message}\nreplay with CAPSIM_SEED=${seed}`);
  process.exitCode = 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
