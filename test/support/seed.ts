/**
 * Seeds for property tests. CAPSIM_SEED, when set, replays a failure; otherwise fast-check (or
 * runSeed) draws a fresh seed, and every failure message names it with the path.
 */
import fc from 'fast-check';

/** CAPSIM_SEED as a number, or undefined when it is not set. */
export function replaySeed(): number | undefined {
  const text = process.env.CAPSIM_SEED;
  if (text === undefined || text === '') return undefined;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`CAPSIM_SEED must be an integer, got '${text}'`);
  return seed;
}

/** The seed for fc.assert: the replay seed, or undefined to let fast-check draw (and print) one. */
export const propertySeed = replaySeed;

/** fc.assert parameters: numRuns, and the replay seed when CAPSIM_SEED is set. */
export function propertyParams<T>(numRuns: number): fc.Parameters<T> {
  const seed = replaySeed();
  return seed === undefined ? { numRuns } : { numRuns, seed };
}

/** A seed known before the run starts: CAPSIM_SEED, or a fresh one. */
export function runSeed(): number {
  return replaySeed() ?? (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
}

/** fc.assert with a known seed: a failure says the seed and the command that replays it. */
export async function assertProperty<Ts extends [unknown, ...unknown[]]>(
  property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>,
  params: { numRuns?: number; replay?: string } = {},
): Promise<void> {
  const seed = runSeed();
  const { replay = 'npx vitest run', ...rest } = params;
  try {
    await fc.assert(property, { seed, ...rest });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`property failed with seed ${seed}; replay with CAPSIM_SEED=${seed} ${replay}\n${message}`, { cause: error });
  }
}
