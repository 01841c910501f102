/**
 * A history: what clients outside the machine asked and what they were told, as Jepsen records
 * it for a database. Plain, serialisable data, appended in real-time order (the position of an
 * entry is its time), kept outside the simulated machine so that no power loss touches it.
 *
 * Every operation is an `invoke` and at most one completion with the same `id`:
 *   - ok: the program answered, with `value`;
 *   - fail: the kernel answered with an error instead (the callee faulted, restarted, dropped
 *     the reply, or the call was refused); the operation may or may not have taken effect;
 *   - indeterminate: the power went before an answer left the machine.
 * An operation with no completion yet is pending. `power-loss` marks the moment the power went.
 *
 * This module imports nothing, so that checkers (pure functions of a history) need nothing of
 * the kernel or the store.
 */

/** Plain data as it crosses the machine's boundary (msgpack/JSON-encodable). */
export type HistoryValue = null | boolean | number | string | readonly HistoryValue[] | { readonly [key: string]: HistoryValue };

export type HistoryEntry =
  | { type: 'invoke'; id: number; client: string; op: string; value: HistoryValue; crank: number }
  | {
      type: 'ok';
      id: number;
      client: string;
      value: HistoryValue;
      /** When the client got the answer (the crank clock). */
      crank: number;
      /** Cranks the answer was held inside the machine before it could leave (output commit). */
      heldCranks: number;
    }
  | { type: 'fail'; id: number; client: string; error: string; crank: number; heldCranks: number }
  | { type: 'indeterminate'; id: number; client: string; crank: number }
  | { type: 'power-loss'; crank: number };

export type History = readonly HistoryEntry[];

/**
 * The restored system as plain data, for checkers: each process's state and each storage
 * object's data, by the label the description gave it (absent when it is gone).
 */
export interface RestoredView {
  processes: Record<string, HistoryValue>;
  storage: Record<string, HistoryValue>;
}

/** A completed or pending operation: its invoke and completion side by side, with their positions. */
export interface HistoryOp {
  id: number;
  client: string;
  op: string;
  value: HistoryValue;
  /** Position of the invoke in the history. */
  invokedAt: number;
  /** Position of the completion, or null when pending or indeterminate. */
  completedAt: number | null;
  outcome: 'ok' | 'fail' | 'indeterminate' | 'pending';
  /** The answer when ok. */
  result: HistoryValue;
}

/** The history's operations in invoke order. */
export function operationsOf(history: History): HistoryOp[] {
  const ops = new Map<number, HistoryOp>();
  for (const [at, e] of history.entries()) {
    if (e.type === 'invoke') ops.set(e.id, { id: e.id, client: e.client, op: e.op, value: e.value, invokedAt: at, completedAt: null, outcome: 'pending', result: null });
    else if (e.type !== 'power-loss') {
      const o = ops.get(e.id);
      if (o === undefined) continue;
      o.outcome = e.type;
      if (e.type !== 'indeterminate') o.completedAt = at;
      if (e.type === 'ok') o.result = e.value;
    }
  }
  return [...ops.values()];
}

/** One entry as a person reads it. */
export function formatEntry(e: HistoryEntry): string {
  const text = (v: HistoryValue): string => JSON.stringify(v);
  switch (e.type) {
    case 'invoke':
      return `crank ${e.crank}  ${e.client} #${e.id} invoke ${e.op}${e.value === null ? '' : ` ${text(e.value)}`}`;
    case 'ok':
      return `crank ${e.crank}  ${e.client} #${e.id} ok ${text(e.value)}${e.heldCranks > 0 ? ` (held ${e.heldCranks} crank(s))` : ''}`;
    case 'fail':
      return `crank ${e.crank}  ${e.client} #${e.id} fail ${e.error}`;
    case 'indeterminate':
      return `crank ${e.crank}  ${e.client} #${e.id} indeterminate (the power went before an answer)`;
    case 'power-loss':
      return `crank ${e.crank}  -- power loss --`;
  }
}

export function formatHistory(history: History, indent = ''): string {
  return history.map((e) => `${indent}${formatEntry(e)}`).join('\n');
}

/** Output latency: how long answers were held before they left the machine. */
export interface OutputLatency {
  answers: number;
  heldCranksMax: number;
  heldCranksMean: number;
}

export function outputLatency(history: History): OutputLatency {
  let answers = 0;
  let total = 0;
  let max = 0;
  for (const e of history) {
    if (e.type !== 'ok' && e.type !== 'fail') continue;
    answers++;
    total += e.heldCranks;
    max = Math.max(max, e.heldCranks);
  }
  return { answers, heldCranksMax: max, heldCranksMean: answers === 0 ? 0 : total / answers };
}

/** Counts by completion, for summaries. */
export function historyCounts(history: History): { ops: number; ok: number; fail: number; indeterminate: number; powerLosses: number } {
  const out = { ops: 0, ok: 0, fail: 0, indeterminate: 0, powerLosses: 0 };
  for (const e of history) {
    if (e.type === 'invoke') out.ops++;
    else if (e.type === 'power-loss') out.powerLosses++;
    else out[e.type]++;
  }
  return out;
}
