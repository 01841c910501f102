/**
 * An example to copy: property-testing the promise your program makes to its clients with
 * capsim/testing and @fast-check/vitest. The program is a tally that saves its votes in a
 * storage object and reads them back when it starts; two voters outside the machine call it and
 * are told the tally after their vote. The test throws power losses, failed writes and losses
 * during restarts at it, and checks after every restart capsim's invariants and the program's
 * promise: every tally a voter was told is still there (`reflects`, judged by the durable
 * checker against the history of what the voters were told).
 *
 * Delete the line that saves the votes, and this test fails: the history remembers what the
 * voters were told, and the restarted tally does not hold it. The last test here checks exactly
 * that. A failure prints the shrunk schedule step by step, the smallest history that shows it,
 * and fast-check's seed and path (`fc.configureGlobal({ seed, path })`, or CAPSIM_SEED here).
 */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import type { ClientOp, Program, SystemSpec } from 'capsim/kernel';
import { checkPersistence, expectNoViolations, runSchedule, scheduleArbitrary } from 'capsim/testing';
import { replaySeed } from '../support/seed.ts';

type Tally = { yes: number; no: number };

const tally: Program<Tally> = {
  init(ctx) {
    // After a restart too: the saved votes are the truth.
    return ctx.read(ctx.lookup('votes') as number) as Tally;
  },
  receive(ctx, state, message) {
    const vote = (message.payload as { value: string }).value;
    const next = vote === 'yes' ? { ...state, yes: state.yes + 1 } : { ...state, no: state.no + 1 };
    ctx.write(ctx.lookup('votes') as number, next); // the save line: the last test deletes it
    if (message.reply !== null) ctx.reply(message.reply, next);
    return next;
  },
};

/** Voter n's i-th call: a vote, yes or no. */
const votes = (n: number) => (i: number): ClientOp | null => (i < 6 ? { op: 'vote', value: (i + n) % 3 === 0 ? 'no' : 'yes' } : null);

export const system: SystemSpec = {
  name: 'tally',
  description: 'a tally that saves every vote, called by two voters outside the machine',
  programs: { tally },
  processes: [{ name: 'tally', program: 'tally' }],
  endpoints: [{ name: 'ballots', owner: 'tally' }],
  storage: [{ name: 'votes', owner: 'tally', data: { yes: 0, no: 0 } }],
  clients: [
    { name: 'ann', cap: { target: 'ballots', badge: 1 }, ops: votes(0) },
    { name: 'ben', cap: { target: 'ballots', badge: 2 }, ops: votes(1) },
  ],
  // The promise: a voter was told the tally after its vote, so a restarted tally counts at least that.
  reflects: (op, restored) => {
    const now = restored.processes.tally as Tally | undefined;
    const told = op.result as Tally;
    return now === undefined || (now.yes >= told.yes && now.no >= told.no);
  },
};

const seed = replaySeed();
if (seed !== undefined) fc.configureGlobal({ seed });

/** Faults this example draws: damaged values are capsim's to judge, not the tally's promise. */
const faults = ['power', 'write', 'restart'] as const;

test.prop([scheduleArbitrary(system, { faults })], { numRuns: 100 })('the tally keeps every promise through any fault schedule', async (schedule) => {
  const outcome = await runSchedule(system, schedule);
  expectNoViolations(outcome, schedule, system);
  // Something was really exercised: every run restarts, and the durable checker judged it.
  expect(outcome.stats.restarts).toBeGreaterThanOrEqual(1);
  expect(outcome.stats.checked.get('durable')).toBeGreaterThanOrEqual(1);
});

test('or in one line: the whole search, a failure thrown with its replay', async () => {
  const result = await checkPersistence(system, { runs: 100, faults: [...faults], ...(seed !== undefined ? { seed } : {}) });
  expect(result.runs).toBe(100);
  expect(result.stats.checked.get('durable')).toBeGreaterThanOrEqual(100);
});

test('deleting the save line makes the check fail', async () => {
  // The tally's own receive, as it runs, with exactly its save line deleted.
  const lines = String(tally.receive).split('\n');
  const kept = lines.filter((line) => !/ctx\.write\(/.test(line));
  expect(lines.length - kept.length).toBe(1);
  const receive = new Function(`return ({ ${kept.join('\n')} }).receive;`)() as Program<Tally>['receive'];
  const broken = { ...system, programs: { tally: { init: tally.init, receive } } };
  await expect(checkPersistence(broken, { runs: 100, faults: [...faults], ...(seed !== undefined ? { seed } : {}) })).rejects.toThrow(/durable: .* not reflected after the restart/);
});
