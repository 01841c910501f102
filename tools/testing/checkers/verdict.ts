/**
 * What a history checker hands down, and the interface a user's own checker implements. A
 * checker is a pure function of the history and the restored system (plain data): the same
 * inputs always give the same verdict. Nothing here imports the kernel or the store.
 */
import type { History, HistoryEntry, RestoredView } from '../../../restart-agent/history.ts';

export type Verdict =
  | { verdict: 'ok' }
  /** `excerpt`: the smallest piece of the history that shows the problem. */
  | { verdict: 'violated'; problem: string; excerpt: HistoryEntry[] }
  /** The search hit its bound before it could decide: neither ok nor violated. */
  | { verdict: 'unknown'; reason: string };

/** A checker over (history, restored system); null or 'ok' means no problem, a string names one. */
export type HistoryCheck = (history: History, restored: RestoredView) => Verdict | string | null;

/** A user's checker's answer, as a verdict. */
export function asVerdict(answer: Verdict | string | null): Verdict {
  if (answer === null || answer === 'ok') return { verdict: 'ok' };
  if (typeof answer === 'string') return { verdict: 'violated', problem: answer, excerpt: [] };
  return answer;
}

/**
 * The sequential model a history is checked against, in plain functions: the state before any
 * operation, and for one operation the next state and the answer a client must get. Operations
 * with different `key`s are independent, so each key is judged apart. (The same shape as
 * `ClientModel` in a system description.)
 */
export interface SequentialModel<S = unknown> {
  init(): S;
  step(state: S, op: { op: string; value: unknown }): [S, unknown];
  key?(op: { op: string; value: unknown }): string;
}

/** Equality of plain data as the history holds it (order of object keys aside). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined) return b === null;
  if (b === undefined) return a === null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameValue(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** A stable text for a model state: the key of the search's cache. */
export function stateKey(state: unknown): string {
  return JSON.stringify(state, (_k, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  }) ?? 'undefined';
}
