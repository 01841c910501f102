/**
 * Durability as a client sees it: every operation a client was told succeeded is still
 * reflected by the system every later restart gives back. The system says what "reflected"
 * means for it (`reflects`, as in a system description): a counter's count is at least what an
 * increment answered, a key holds what a put stored unless a later put may have replaced it.
 *
 * Run after every restart, with the history so far and the restored system: a pure function of
 * both. A failure names the operations the restored system forgot, with the power losses
 * between them and the restart, as the excerpt.
 */
import { operationsOf, type History, type HistoryEntry, type HistoryValue, type RestoredView } from '../../../restart-agent/history.ts';
import type { HistoryCheck, Verdict } from './verdict.ts';

/** Whether `restored` still reflects `op`, which a client was told succeeded with `result`. */
export type Reflects = (op: { client: string; op: string; value: unknown; result: unknown }, restored: { processes: Record<string, unknown>; storage: Record<string, unknown> }, history: History) => boolean;

/** Operations named in a failure, at most: the first few say what went wrong. */
const FORGOTTEN_SHOWN_MAX = 5;

export function durable(reflects: Reflects): HistoryCheck {
  return (history, restored) => checkDurable(history, restored, reflects);
}

export function checkDurable(history: History, restored: RestoredView, reflects: Reflects): Verdict {
  // Only what was acknowledged before the last power loss is owed to this restart.
  let lastLoss = -1;
  for (const [at, e] of history.entries()) if (e.type === 'power-loss') lastLoss = at;
  if (lastLoss < 0) return { verdict: 'ok' };
  const forgotten = operationsOf(history).filter((o) => o.outcome === 'ok' && o.completedAt !== null && o.completedAt < lastLoss && !reflects({ client: o.client, op: o.op, value: o.value, result: o.result }, restored, history));
  if (forgotten.length === 0) return { verdict: 'ok' };
  const shown = forgotten.slice(0, FORGOTTEN_SHOWN_MAX);
  const positions = new Set<number>();
  for (const o of shown) {
    positions.add(o.invokedAt);
    positions.add(o.completedAt as number);
  }
  const first = Math.min(...positions);
  const excerpt: HistoryEntry[] = history.filter((e, at) => positions.has(at) || (e.type === 'power-loss' && at > first));
  const names = shown.map((o) => `${o.client} #${o.id} ${o.op}${o.value === null ? '' : ` ${JSON.stringify(o.value)}`} → ok ${JSON.stringify(o.result as HistoryValue)}`);
  return {
    verdict: 'violated',
    problem: `${forgotten.length} operation(s) a client was told succeeded are not reflected after the restart: ${names.join('; ')}${forgotten.length > shown.length ? '; …' : ''}`,
    excerpt,
  };
}
