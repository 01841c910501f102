/** Seeds for the store's tests: the shared helpers, plus a float generator for crash timing. */
import { Rng } from '../../kernel/index.ts';

export { assertProperty, runSeed } from '../support/seed.ts';

/** Uniform floats in [0, 1) from the kernel's seeded generator, for kill timing. */
export function prng(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.nextU32() / 4294967296;
}
