/**
 * The summary of a check: how much was explored (runs, cranks, faults, power losses, restarts),
 * which invariants were judged how many times, which were not and why, and how long it took.
 * One shape for the text and for --json.
 */
import type { RunStats } from './execute.ts';
import type { Violation } from './judge.ts';
import { shardLabel, type Shard } from '../parallel/shard.ts';

/** Invariants of DESIGN.md no run of `capsim check` judges, with the reason. */
export function notChecked(model: string): Record<string, string> {
  const out: Record<string, string> = {
    'I7 snapshot immutability': 'named snapshots are not part of a checked schedule',
  };
  if (model === 'explicit') out['I10 checkpoint equivalence'] = 'the explicit model writes no checkpoints (try --model checkpoint)';
  return out;
}

export interface CheckSummary {
  system: string;
  model: string;
  mode: 'random' | 'exhaustive' | 'schedule';
  seed: number | null;
  /** The slice of the runs this check ran (`--shard`), or null for all of them. */
  shard: Shard | null;
  runs: number;
  shrinkRuns: number;
  cranks: number;
  faults: { total: number } & RunStats['faults'];
  powerLosses: number;
  restarts: number;
  refusedInputs: number;
  /** Verdicts handed down per invariant. */
  invariants: Record<string, number>;
  notChecked: Record<string, string>;
  /** History checkers that hit their search bound (too large to decide), by name: neither ok nor violated. */
  undecided: Record<string, number>;
  violations: Violation[];
  timeMs: number;
  /** The command that replays the failure, when there is one. */
  replay: string | null;
}

export function summarize(base: Pick<CheckSummary, 'system' | 'model' | 'mode' | 'seed' | 'shard' | 'runs' | 'shrinkRuns' | 'timeMs' | 'replay'>, stats: RunStats, violations: Violation[]): CheckSummary {
  const total = Object.values(stats.faults).reduce((a, b) => a + b, 0);
  const invariants = Object.fromEntries([...stats.checked].sort(([a], [b]) => invariantOrder(a) - invariantOrder(b) || (a < b ? -1 : 1)));
  return {
    ...base,
    cranks: stats.cranks,
    faults: { total, ...stats.faults },
    powerLosses: stats.powerLosses,
    restarts: stats.restarts,
    refusedInputs: stats.refusedInputs,
    invariants,
    notChecked: notChecked(base.model),
    undecided: Object.fromEntries(stats.undecided),
    violations,
    timeMs: Math.round(base.timeMs),
  };
}

/** I1 before I2 before I10; anything unnumbered (application checks) last. */
function invariantOrder(name: string): number {
  const m = /^I(\d+)/.exec(name);
  return m ? Number(m[1]) : 100;
}

const n = (x: number): string => x.toLocaleString('en-US');

export function formatSummary(s: CheckSummary): string {
  const lines: string[] = [];
  const shrunk = s.shrinkRuns > 0 ? ` (+${n(s.shrinkRuns)} while shrinking)` : '';
  lines.push(`capsim check ${s.system} (model ${s.model}, ${s.mode}${s.seed !== null ? `, seed ${s.seed}` : ''}${s.shard !== null ? `, ${shardLabel(s.shard)}` : ''}): ${n(s.runs)} run(s)${shrunk}, ${s.violations.length === 0 ? 'no violation' : `${s.violations.length} violation(s)`}`);
  lines.push(`  ${n(s.cranks)} crank(s); ${n(s.powerLosses)} power loss(es); ${n(s.restarts)} restart(s)`);
  const kinds = [`${n(s.faults.power)} at a crank boundary`, `${n(s.faults.write)} failed write(s)`, `${n(s.faults.restart)} during a restart`, `${n(s.faults.damage)} damaged value(s)`];
  if (s.model !== 'explicit') kinds.push(`${n(s.faults.checkpoint)} while writing a checkpoint`);
  lines.push(`  faults injected: ${n(s.faults.total)} (${kinds.join(', ')})${s.refusedInputs > 0 ? `; ${n(s.refusedInputs)} input(s) refused by the kernel` : ''}`);
  const judged = Object.entries(s.invariants);
  lines.push(`  invariants judged (${n(judged.reduce((a, [, c]) => a + c, 0))} verdicts):`);
  for (const [name, count] of judged) lines.push(`    ${name.padEnd(30)} ${n(count)}`);
  for (const [name, why] of Object.entries(s.notChecked)) lines.push(`    ${name.padEnd(30)} not checked: ${why}`);
  for (const [name, count] of Object.entries(s.undecided)) lines.push(`    ${name.padEnd(30)} too large to decide ${n(count)} time(s)`);
  lines.push(`  time ${(s.timeMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}
