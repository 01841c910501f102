/**
 * Property-test parameters: CAPSIM_SEED (when set) replays a failure; otherwise fast-check
 * draws a fresh seed and prints it, with the path, in any failure message.
 */
import type { Parameters } from 'fast-check';

export function replaySeed(): number | undefined {
  const text = process.env.CAPSIM_SEED;
  if (text === undefined || text === '') return undefined;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`CAPSIM_SEED must be an integer, got '${text}'`);
  return seed;
}

/** fc.assert parameters: numRuns, and the replay seed when CAPSIM_SEED is set. */
export function propertyParams<T>(numRuns: number): Parameters<T> {
  const seed = replaySeed();
  return seed === undefined ? { numRuns } : { numRuns, seed };
}
