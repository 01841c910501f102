/**
 * An example to copy: property-testing the persistence of your own program with capsim/testing
 * and @fast-check/vitest. The program is a tally that saves its votes in a storage object and
 * reads them back when it starts; the test throws power losses, failed writes, losses during
 * restarts and damaged values at it, and checks after every restart both capsim's invariants
 * and the program's own promise (what it holds is what it saved).
 *
 * A failure prints the shrunk schedule step by step; fast-check prints the seed and path that
 * replay it (`fc.configureGlobal({ seed, path })`, or CAPSIM_SEED for these tests).
 */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import type { Program, SystemSpec } from 'capsim/kernel';
import { checkPersistence, expectNoViolations, runSchedule, scheduleArbitrary, type AppCheck } from 'capsim/testing';
import { replaySeed } from '../support/seed.ts';

type Tally = { yes: number; no: number };

const tally: Program<Tally> = {
  init(ctx) {
    // After a restart too: the saved votes are the truth.
    return ctx.read(ctx.lookup('votes') as number) as Tally;
  },
  receive(ctx, state, message) {
    const next = message.payload === 'yes' ? { ...state, yes: state.yes + 1 } : { ...state, no: state.no + 1 };
    ctx.write(ctx.lookup('votes') as number, next);
    return next;
  },
};

export const system: SystemSpec = {
  name: 'tally',
  description: 'a tally that saves every vote',
  programs: { tally },
  processes: [{ name: 'tally', program: 'tally' }],
  endpoints: [{ name: 'ballots', owner: 'tally' }],
  storage: [{ name: 'votes', owner: 'tally', data: { yes: 0, no: 0 } }],
  caps: [],
  input: (i) => (i < 1000 ? { to: 'ballots', payload: i % 3 === 0 ? 'no' : 'yes' } : null),
};

/** The program's own promise, checked after every restart: it holds exactly what it saved. */
const holdsWhatItSaved: AppCheck = (sys, report) => {
  // A damaged record is quarantined and named in the report; capsim itself judges that case.
  if (report.quarantined.length > 0) return null;
  const p = [...sys.kernel.processes()].find((x) => x.program === 'tally');
  const saved = p?.named.get('votes')?.object;
  if (p === undefined || saved === undefined || saved.kind !== 'storage') return 'the tally or its votes are gone';
  return JSON.stringify(p.state) === JSON.stringify(saved.data) ? null : `holds ${JSON.stringify(p.state)} but saved ${JSON.stringify(saved.data)}`;
};

const seed = replaySeed();
if (seed !== undefined) fc.configureGlobal({ seed });

test.prop([scheduleArbitrary(system)], { numRuns: 150 })('the tally survives any fault schedule with every invariant', async (schedule) => {
  const outcome = await runSchedule(system, schedule, { appChecks: { 'tally holds what it saved': holdsWhatItSaved } });
  expectNoViolations(outcome, schedule, system);
  // Something was really exercised: every run restarts at least once.
  expect(outcome.stats.restarts).toBeGreaterThanOrEqual(1);
});

test('or in one line: the whole search, a failure thrown with its replay', async () => {
  const result = await checkPersistence(system, { runs: 100, appChecks: { 'tally holds what it saved': holdsWhatItSaved }, ...(seed !== undefined ? { seed } : {}) });
  expect(result.runs).toBe(100);
  expect(result.stats.checked.get('tally holds what it saved')).toBeGreaterThanOrEqual(100);
});
