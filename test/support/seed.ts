/**
 * The seed for property tests: CAPSIM_SEED when set (to replay a failure), otherwise a fresh
 * one. fast-check prints the seed and path of any failure; rerun with CAPSIM_SEED=<seed>.
 */
export function propertySeed(): number | undefined {
  const text = process.env.CAPSIM_SEED;
  if (text === undefined || text === '') return undefined;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`CAPSIM_SEED must be an integer, got '${text}'`);
  return seed;
}
