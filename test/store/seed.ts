/**
 * One seed per property run: CAPSIM_SEED if set (to replay), else a fresh one. Every failure
 * message names it, with the command line that replays it.
 */
import fc from 'fast-check';

export function runSeed(): number {
  const fromEnv = process.env.CAPSIM_SEED;
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number(fromEnv);
    if (!Number.isInteger(seed)) throw new Error(`CAPSIM_SEED must be an integer, not ${fromEnv}`);
    return seed;
  }
  return (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
}

/** fc.assert with a known seed: a failure says the seed and how to replay it. */
export async function assertProperty<Ts extends [unknown, ...unknown[]]>(
  property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>,
  params: { numRuns?: number } = {},
): Promise<void> {
  const seed = runSeed();
  try {
    await fc.assert(property, { seed, ...params });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`property failed with seed ${seed}; replay with CAPSIM_SEED=${seed} npx vitest run test/store\n${message}`, { cause: error });
  }
}

/** A small deterministic PRNG (mulberry32) for the non-fast-check tests (crash timing). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
