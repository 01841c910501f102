/**
 * What a trial measures. A trial's outcome is plain data; each built-in metric is a function
 * of it, and so is each of the user's (`custom` in the experiment file). Wall-clock metrics
 * are marked: they are the only columns allowed to differ between two runs of one trial, so
 * tests of determinism (any number of workers, shards merged, resumed runs) leave them out.
 */
import type { PlainData } from '../../kernel/index.ts';
import type { RestartReport } from '../../restart-agent/index.ts';
import type { Params } from './definition.ts';

export interface TrialOutcome {
  system: string;
  params: Params;
  seed: number;
  cranksRun: number;
  powerLosses: number;
  /** Unsynced commit batches the power losses dropped. */
  commitsLost: number;
  restarts: RestartReport[];
  checkpoints: { taken: number; blocksWritten: number; bytesWritten: number; ms: number };
  restartMs: number[];
  /** Records are counted on memory-level only (null on classic-level, where bytes are the folder's files). */
  store: { records: number | null; bytes: number };
  /** Invariant verdicts that were not ok, over every restart. */
  violations: string[];
  /** The processes at the end: what a user's metric usually reads. */
  processes: { pid: number; program: string; status: string; state: PlainData }[];
  runMs: number;
}

export interface Metric {
  describe: string;
  wallClock: boolean;
  of: (run: TrialOutcome) => number | null;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : sum(xs) / xs.length);

export const BUILTIN_METRICS = {
  cranksRun: { describe: 'cranks run, restarts included', wallClock: false, of: (r) => r.cranksRun },
  powerLosses: { describe: 'power losses', wallClock: false, of: (r) => r.powerLosses },
  cranksLost: { describe: 'cranks of work the restarts said were lost, summed', wallClock: false, of: (r) => sum(r.restarts.map((x) => x.lostCranks ?? 0)) },
  commitsLost: { describe: 'unsynced commit batches dropped by the power losses', wallClock: false, of: (r) => r.commitsLost },
  checkpoints: { describe: 'checkpoints taken', wallClock: false, of: (r) => r.checkpoints.taken },
  checkpointBlocks: { describe: 'blocks written by checkpoints', wallClock: false, of: (r) => r.checkpoints.blocksWritten },
  checkpointBytes: { describe: 'bytes written by checkpoints', wallClock: false, of: (r) => r.checkpoints.bytesWritten },
  storeRecords: { describe: 'records in the store at the end', wallClock: false, of: (r) => r.store.records },
  storeBytes: { describe: 'bytes of keys and values in the store at the end', wallClock: false, of: (r) => r.store.bytes },
  violations: { describe: 'invariant verdicts not ok, over every restart', wallClock: false, of: (r) => r.violations.length },
  replayedCranks: { describe: 'cranks the restarts replayed from a transcript, summed (transcript model)', wallClock: false, of: (r) => sum(r.restarts.map((x) => x.transcript?.replayedCranks ?? 0)) },
  restartMs: { describe: 'mean time of a restart (ms)', wallClock: true, of: (r) => (r.restartMs.length === 0 ? null : sum(r.restartMs) / r.restartMs.length) },
  replayMs: { describe: 'mean time a restart spent replaying the transcript (ms; transcript model)', wallClock: true, of: (r) => mean(r.restarts.flatMap((x) => (x.transcript !== undefined ? [x.transcript.replayMs] : []))) },
  checkpointMs: { describe: 'time spent taking checkpoints (ms)', wallClock: true, of: (r) => r.checkpoints.ms },
  runMs: { describe: 'time of the whole trial (ms)', wallClock: true, of: (r) => r.runMs },
  cranksPerS: { describe: 'cranks per second of the whole trial', wallClock: true, of: (r) => (r.runMs > 0 ? Math.round((r.cranksRun * 1000) / r.runMs) : null) },
} satisfies Record<string, Metric>;

export type BuiltinMetric = keyof typeof BUILTIN_METRICS;

export function isWallClock(column: string): boolean {
  return (BUILTIN_METRICS as Record<string, Metric>)[column]?.wallClock === true;
}
