/**
 * History checkers: pure functions of a client history and the restored system (plain data),
 * in the manner of Jepsen's and Elle's. `durable` and `linearizable` come with capsim; a user's
 * own is any function of the same shape (`HistoryCheck`).
 */
import { durable, type Reflects } from './durable.ts';
import { linearizable } from './linearizable.ts';
import type { HistoryCheck, SequentialModel } from './verdict.ts';

export { durable, checkDurable, type Reflects } from './durable.ts';
export { linearizable, checkLinearizable, LINEARIZABLE_STEPS_MAX, type LinearizableOptions } from './linearizable.ts';
export { asVerdict, sameValue, type HistoryCheck, type SequentialModel, type Verdict } from './verdict.ts';

export const HISTORY_CHECKS = { durable: 'durable', linearizable: 'linearizable' } as const;

/** The checkers a system description asks for: durable when it says what `reflects`, linearizable when it has a model. */
export function checksOf(spec: { model?: SequentialModel<any>; reflects?: Reflects }): Record<string, HistoryCheck> {
  const out: Record<string, HistoryCheck> = {};
  if (spec.reflects !== undefined) out[HISTORY_CHECKS.durable] = durable(spec.reflects);
  if (spec.model !== undefined) out[HISTORY_CHECKS.linearizable] = linearizable(spec.model);
  return out;
}
