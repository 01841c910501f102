/**
 * A broken variant belongs to the System built with it (SystemOptions.variant). Two Systems in
 * one process, one broken and one faithful, run interleaved — a crank of one, a crank of the
 * other, power loss and restart side by side — and only the broken one's restarts show its bug,
 * while every verdict of the faithful one is ok. A variant kept in module state would reach the
 * faithful System too (and reuse-id would even carry IDs from one System's life into the other's).
 */
import { describe, expect, it } from 'vitest';
import type { SystemSpec } from '../../kernel/index.ts';
import { System, SystemError, type BrokenVariant, type RestartReport } from '../../restart-agent/index.ts';
import { MemoryDisk } from '../../store/index.ts';
import { expectInvariantsOk, freshSystem } from './support/harness.ts';
import { bankFiringAt, counter } from './support/specs.ts';

const SEED = 5;
const ROUNDS = 6;
const CRANKS_PER_ROUND = 5;

describe.each<[BrokenVariant, string, SystemSpec, string]>([
  ['reuse-id', 'counter', counter, 'I6 unique IDs'],
  ['keep-revoked', 'bank firing its teller at deposit 8', bankFiringAt(8), 'I5 revocation'],
])('broken variant %s on %s', (variant, _name, spec, invariant) => {
  it(`breaks ${invariant} in the System built with it, and nothing in the faithful one beside it`, async () => {
    const broken = (await freshSystem(spec, { seed: SEED, syncEvery: 1, variant })).system;
    const faithful = (await freshSystem(spec, { seed: SEED, syncEvery: 1 })).system;
    const brokenVerdicts: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // Who goes first alternates, so that neither only ever follows the other.
      const pair = round % 2 === 1 ? [broken, faithful] : [faithful, broken];
      for (let crank = 0; crank < CRANKS_PER_ROUND; crank++) {
        for (const system of pair) expect(await system.step(), `round ${round}: ${system === broken ? 'the broken' : 'the faithful'} system ran dry`).not.toBeNull();
      }
      for (const system of pair) await system.powerLoss();
      const reports = new Map<System, RestartReport>();
      for (const system of pair) reports.set(system, await system.restart());
      expectInvariantsOk(reports.get(faithful) as RestartReport, `the faithful system beside ${variant}, restart ${round}`);
      brokenVerdicts.push((reports.get(broken) as RestartReport).invariants[invariant] as string);
    }
    expect(brokenVerdicts.filter((v) => v !== 'ok'), `${invariant} after each restart of the broken system: ${brokenVerdicts.join(' | ')}`).not.toEqual([]);
    await broken.close();
    await faithful.close();
  });
});

describe('SystemOptions.variant', () => {
  it('an unknown name is refused with a one-line error naming the known ones', async () => {
    const create = System.create({ spec: counter, store: { backend: 'memory', disk: new MemoryDisk() }, variant: 'keep-everything' as BrokenVariant });
    await expect(create).rejects.toThrow(SystemError);
    await expect(create).rejects.toThrow(/^there is no broken variant 'keep-everything'; use one of: keep-revoked, split-commit, reuse-id, torn-checkpoint$/);
  });
});
