/**
 * Real crashes beside the simulation: SIGKILL a child process running the counter system on
 * classic-level at random moments, boot what it left, and check the invariants
 * (support/system-crash.ts). Two folders side by side, one syncing every commit and one every
 * fourth: every acknowledged commit must survive either way. More kills: system-crash-campaign.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prng } from '../store/seed.ts';
import { runSeed } from '../support/seed.ts';
import { checkSystemAfterKill, runAndKillSystem } from './support/system-crash.ts';

const LANES = 2;
const KILLS_PER_LANE = 3;
/** Lane i syncs every SYNC_EVERY[i % length]-th commit. */
const SYNC_EVERY = [1, 4];

describe('SIGKILL of a real child process running a System', () => {
  const root = mkdtempSync(join(tmpdir(), 'capsim-system-crash-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it(`every acknowledged crank survives and the boot reports no violation, ${LANES * KILLS_PER_LANE} kills`, async () => {
    const seed = runSeed();
    const random = prng(seed);
    const plans = Array.from({ length: LANES }, () => Array.from({ length: KILLS_PER_LANE }, () => Math.floor(random() * 150)));
    let kills = 0;
    let progressed = 0;
    await Promise.all(
      plans.map(async (delays, lane) => {
        const dir = join(root, `lane-${lane}`);
        let before = 0;
        for (const [k, ms] of delays.entries()) {
          const acked = await runAndKillSystem(dir, ms, seed, SYNC_EVERY[lane % SYNC_EVERY.length]);
          const count = await checkSystemAfterKill(dir, Math.max(acked, before)).catch((error: Error) => {
            throw new Error(`seed ${seed} (replay with CAPSIM_SEED=${seed}), lane ${lane}, kill ${k}: ${error.message}`);
          });
          if (count > before) progressed++;
          before = count;
          kills++;
        }
      }),
    );
    expect(kills).toBe(LANES * KILLS_PER_LANE);
    // The children must have counted between kills, or nothing was at stake.
    expect(progressed, `seed ${seed}`).toBeGreaterThan(0);
  }, 60_000);
});
