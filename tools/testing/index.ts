/**
 * capsim/testing — property-test the persistence of your own programs. The pieces of the crash
 * explorer (`capsim check`), for use in your tests:
 *
 *   - arbitraries: `scheduleArbitrary(spec)` draws a workload (seed, scheduling, inputs from the
 *     description's own vocabulary) and a fault schedule (power losses at crank boundaries and
 *     mid-commit, failed writes, losses during a restart, damaged values, interrupted checkpoints);
 *   - `runSchedule(spec, schedule, { appChecks })` runs one, restarting after every fault, and
 *     returns every violated invariant — the kernel's (I1-I6, I8, I9, I11, I12, and I10 under the
 *     checkpoint model) and your own application checks;
 *   - helpers that fit @fast-check/vitest: `expectNoViolations(outcome)` throws a readable
 *     failure (the schedule step by step), so `test.prop([scheduleArbitrary(spec)])(...)` shrinks
 *     it; `checkPersistence(spec, { runs })` does the whole search in one line.
 *
 * See README.md here, and test/testing/example-user.test.ts for a test to copy.
 */
import type { SystemSpec } from '../../kernel/index.ts';
import { formatFailure } from '../check/format.ts';
import { explore, type ExploreOptions, type ExploreResult } from '../check/explore.ts';
import type { RunOutcome } from '../check/execute.ts';
import type { Schedule } from '../check/schedule.ts';
import { vocabularyOf } from '../check/workload.ts';

export { scheduleArbitrary, faultArbitrary, stepArbitrary, inputsArbitrary, SCHEDULE_DEFAULTS, type ScheduleLimits } from '../check/arbitraries.ts';
export { runSchedule, type AppCheck, type ExecuteOptions, type RunOutcome, type RunStats, type StepLog } from '../check/execute.ts';
export { explore, type ExploreOptions, type ExploreResult, type Failure } from '../check/explore.ts';
export { exhaustive, scenarios, type ExhaustiveOptions, type ExhaustiveResult } from '../check/exhaustive.ts';
export { JUDGE_INVARIANTS, type Violation } from '../check/judge.ts';
export { checkBounds, checkFreshIds, checkIsolation } from '../check/structural.ts';
export { projectKernel, projectDisk, projectionDiff, type Projection } from '../check/projection.ts';
export { FAULT_KINDS, faultKindsFor, describeFault, type Fault, type FaultKind, type Schedule, type Step } from '../check/schedule.ts';
export { vocabularyOf, withWorkload, type Vocabulary } from '../check/workload.ts';
export { durable, linearizable, checkDurable, checkLinearizable, checksOf, asVerdict, LINEARIZABLE_STEPS_MAX, type HistoryCheck, type SequentialModel, type Verdict, type Reflects, type LinearizableOptions } from './checkers/index.ts';
export { formatEntry, formatHistory, operationsOf, outputLatency, type History, type HistoryEntry, type HistoryOp, type RestoredView } from '../../restart-agent/index.ts';
export { clientsArbitrary } from '../check/arbitraries.ts';
export { checkFidelity, checkNoAmplification, checkRevocation, checkUniqueIds, systemFingerprint } from '../../restart-agent/index.ts';

/** Throws when the run violated anything, with the schedule and every violation, readable. */
export function expectNoViolations(outcome: RunOutcome, schedule: Schedule, spec: SystemSpec): void {
  if (outcome.violations.length === 0) return;
  throw new Error(`capsim: invariant violated\n${formatFailure(schedule, outcome, vocabularyOf(spec).labels, vocabularyOf(spec).clients)}\nschedule: ${JSON.stringify(schedule)}`);
}

/**
 * The whole search in one call: `runs` schedules, a failure shrunk and thrown with the seed and
 * path that replay it (pass them back as `seed` and `path`). Returns the summary figures.
 */
export async function checkPersistence(spec: SystemSpec, options: ExploreOptions): Promise<ExploreResult> {
  const result = await explore(spec, options);
  const f = result.failure;
  if (f !== null) {
    throw new Error(
      `capsim: invariant violated after ${f.runsToFailure} run(s), shrunk ${f.shrinks} time(s); replay with { seed: ${f.seed}, path: '${f.path}' }\n` +
        formatFailure(f.schedule, f.outcome, vocabularyOf(spec).labels, vocabularyOf(spec).clients),
    );
  }
  return result;
}
