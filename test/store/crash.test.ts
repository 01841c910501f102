/**
 * The real crash test: a child Node process commits numbered batches with sync to a
 * classic-level folder; the parent SIGKILLs it at random moments, reopens the folder and checks
 * that every acknowledged batch is there whole and no batch is there in part (crash-harness.ts).
 * Four folders run side by side to keep the wall time short; more kills: crash-campaign.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../store/index.ts';
import { checkAfterKill, runAndKill } from './crash-harness.ts';
import { prng, runSeed } from './seed.ts';

const LANES = 4;
const KILLS_PER_LANE = 6;

describe('SIGKILL of a real child process committing with sync', () => {
  const root = mkdtempSync(join(tmpdir(), 'capsim-crash-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it(`every acknowledged batch survives whole, ${LANES * KILLS_PER_LANE} kills`, async () => {
    const seed = runSeed();
    const random = prng(seed);
    let kills = 0;
    const lane = async (index: number, delays: { ms: number; early: boolean }[]): Promise<void> => {
      const dir = join(root, `lane-${index}`);
      let durable = 0; // the head found after the previous kill: it must never go back
      for (const [k, { ms, early }] of delays.entries()) {
        // While the first child runs, another opener must be told "locked", not LevelDB's words.
        const probe = k === 0 && !early ? () => expectLocked(dir) : undefined;
        const acked = await runAndKill(dir, ms, early, probe);
        const head = await checkAfterKill(dir, Math.max(durable, acked)).catch((error: Error) => {
          throw new Error(`seed ${seed} (replay with CAPSIM_SEED=${seed}), lane ${index}, kill ${k}: ${error.message}`);
        });
        expect(head).toBeGreaterThanOrEqual(Math.max(durable, acked));
        durable = head;
        kills++;
      }
    };
    // Draw every delay up front, so the seed fixes them whatever the lanes' interleaving.
    const plans = Array.from({ length: LANES }, () =>
      Array.from({ length: KILLS_PER_LANE }, () => ({ ms: Math.floor(random() * 120), early: random() < 0.15 })),
    );
    await Promise.all(plans.map((plan, i) => lane(i, plan)));
    expect(kills).toBe(LANES * KILLS_PER_LANE);
  }, 60_000);
});

async function expectLocked(dir: string): Promise<void> {
  const error = await openStore({ path: dir, create: false }).then(
    async (store) => {
      await store.close();
      return null;
    },
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: 'locked' });
}
