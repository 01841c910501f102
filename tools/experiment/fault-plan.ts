/**
 * A fault plan says where the power goes during a trial, as a string so that it fits a grid
 * cell, a CSV column and a replay command:
 *
 *   none        no fault
 *   at:K        one power loss after crank K
 *   every:N     a power loss after every N cranks
 *   rate:P      after each crank a power loss with probability P (0 < P ≤ 1), drawn from the
 *               trial's seed, so the same seed pulls the power at the same cranks
 *
 * `lossPoints` turns a plan into the list of cranks after which the power goes, bounded by
 * the trial's cranks and by POWER_LOSSES_MAX.
 */

/** More restarts than this in one trial is a plan that cannot mean what it says. */
export const POWER_LOSSES_MAX = 10_000;

export type FaultPlan = { kind: 'none' } | { kind: 'at'; crank: number } | { kind: 'every'; cranks: number } | { kind: 'rate'; p: number };

export function parseFaultPlan(text: unknown): FaultPlan {
  if (text === 'none') return { kind: 'none' };
  const m = typeof text === 'string' ? /^(at|every|rate):(.+)$/.exec(text) : null;
  if (m === null) throw new Error(`${JSON.stringify(text)} is not a fault plan (none, at:K, every:N, rate:P)`);
  const [, kind, arg] = m as unknown as [string, string, string];
  const n = Number(arg);
  if (kind === 'rate') {
    if (!(n > 0 && n <= 1)) throw new Error(`rate:${arg}: the probability must be in (0, 1]`);
    return { kind: 'rate', p: n };
  }
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${kind}:${arg}: needs a whole number of cranks ≥ 1`);
  return kind === 'at' ? { kind: 'at', crank: n } : { kind: 'every', cranks: n };
}

/** The cranks (counted from the trial's start) after which the power goes, ascending. */
export function lossPoints(plan: FaultPlan, cranks: number, seed: number): number[] {
  switch (plan.kind) {
    case 'none':
      return [];
    case 'at':
      return plan.crank < cranks ? [plan.crank] : [];
    case 'every': {
      const out: number[] = [];
      for (let k = plan.cranks; k < cranks && out.length < POWER_LOSSES_MAX; k += plan.cranks) out.push(k);
      return out;
    }
    case 'rate': {
      const random = mulberry32(seed ^ 0x5eed_fa17);
      const out: number[] = [];
      for (let k = 1; k < cranks && out.length < POWER_LOSSES_MAX; k++) if (random() < plan.p) out.push(k);
      return out;
    }
  }
}

/** A small seeded generator, so a plan's power losses depend on the seed alone. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
