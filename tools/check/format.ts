/**
 * A failure as a person reads it: the invariant and the difference, the shrunk schedule step by
 * step (cranks, fault, what the restart found), and one command that replays it.
 */
import { describeFault, describeSetting, faultKindsFor, type FaultKind, type Schedule } from './schedule.ts';
import { SETTLE_CRANKS, type RunOutcome } from './execute.ts';
import { SCHEDULE_DEFAULTS } from './arbitraries.ts';
import type { BrokenVariant } from '../../restart-agent/index.ts';
import { formatEntry } from '../../restart-agent/index.ts';
import type { Violation } from './judge.ts';

/** History entries shown under a violation, at most. */
const EXCERPT_LINES_MAX = 24;

function violationLines(v: Violation): string[] {
  const lines = [`  ! ${v.invariant}: ${v.detail}`];
  const excerpt = v.excerpt ?? [];
  if (excerpt.length === 0) return lines;
  lines.push(`    the smallest history that shows it (${excerpt.length} entr${excerpt.length === 1 ? 'y' : 'ies'}):`);
  const shown = excerpt.length > EXCERPT_LINES_MAX ? [...excerpt.slice(0, EXCERPT_LINES_MAX / 2), null, ...excerpt.slice(-EXCERPT_LINES_MAX / 2)] : excerpt;
  for (const e of shown) lines.push(e === null ? '      …' : `      ${formatEntry(e)}`);
  return lines;
}

/** Everything the replay command must repeat so that the same arbitrary draws the same schedule. */
export interface ReplaySetting {
  /** The system as given on the command line: an example name or a module path. */
  system: string;
  model: string;
  faults: readonly FaultKind[];
  maxSteps: number;
  maxCranks: number;
  /** The deliberately broken restart agent that was checked (restart-agent/broken-variants.ts), if any. */
  variant: BrokenVariant | null;
  /** When answers leave the machine ('unsafe' is repeated in the replay). */
  release?: string;
}

function quote(arg: string): string {
  return /^[\w./:@,=-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command line of `capsim check` with the options that decide what is generated. */
function commandWith(r: ReplaySetting, extra: string[]): string {
  const args = ['npx', 'capsim', 'check', r.system, '--model', r.model];
  if (r.faults.join(',') !== faultKindsFor(r.model).join(',')) args.push('--faults', r.faults.join(','));
  if (r.maxSteps !== SCHEDULE_DEFAULTS.maxSteps) args.push('--max-steps', String(r.maxSteps));
  if (r.maxCranks !== SCHEDULE_DEFAULTS.maxCranks) args.push('--max-cranks', String(r.maxCranks));
  if (r.release !== undefined && r.release !== 'safe') args.push('--release', r.release);
  args.push(...extra);
  return `${r.variant !== null ? `CAPSIM_BROKEN_VARIANT=${r.variant} ` : ''}${args.map(quote).join(' ')}`;
}

/** fast-check's replay: the same seed and the path to the shrunk case. */
export function replayCommand(r: ReplaySetting, seed: number, path: string): string {
  return commandWith(r, ['--seed', String(seed), '--path', path]);
}

/** The schedule itself, run once as it is (exhaustive failures, or a schedule edited by hand). */
export function scheduleCommand(r: ReplaySetting, schedule: Schedule): string {
  return commandWith(r, ['--schedule', JSON.stringify(schedule)]);
}

/** The shrunk schedule step by step, with the violations where they showed. */
export function formatFailure(schedule: Schedule, outcome: RunOutcome, vocabulary: readonly string[], clients: readonly { name: string; labels: readonly string[] }[] = []): string {
  const lines: string[] = [];
  const shown = outcome.violations.slice(0, 6);
  const invariants = [...new Set(shown.map((v) => v.invariant))];
  lines.push(`VIOLATED: ${invariants.join(', ')}`);
  lines.push(`  ${describeSetting(schedule, vocabulary, clients)}`);
  for (const v of shown.filter((x) => x.step === 0)) lines.push(...violationLines(v));
  for (const [i, step] of schedule.steps.entries()) {
    const log = outcome.log[i];
    const ran = log !== undefined ? `${log.cranks} crank(s) ran (clock ${log.clock}, ${log.unsyncedBatches} unsynced batch(es)${log.writeFailed ? ', the write failed' : ''})` : 'not reached whole';
    lines.push(`  step ${i + 1}: run up to ${step.cranks} crank(s): ${ran}`);
    lines.push(`          ${describeFault(step.fault)}; restart`);
    if (log !== undefined) {
      lines.push(`          restart: ${log.lostCranks === null ? 'lost work unknown' : `${log.lostCranks} crank(s) of work lost`}${log.quarantined.length > 0 ? `; quarantined ${log.quarantined.join('; ')}` : ''}`);
    }
    for (const v of shown.filter((x) => x.step === i + 1)) lines.push(...violationLines(v));
    if (log === undefined) break;
    if (step.fault.kind === 'damage') {
      if (i + 1 < schedule.steps.length) lines.push('  (a damaged value ends the run: the steps after it are not run)');
      break;
    }
  }
  if (outcome.history.length > 0) lines.push(`  then the clients go on, with no fault, for up to ${SETTLE_CRANKS} crank(s); the history checkers judge after every restart and at the end`);
  if (outcome.violations.length > shown.length) lines.push(`  (${outcome.violations.length - shown.length} more violation(s))`);
  return lines.join('\n');
}
