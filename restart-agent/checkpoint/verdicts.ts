/**
 * The restart report's checkpoint part: I1 for checkpoints (the newest complete one is the one
 * restored), I10 (it restores to the kernel as it was when taken), I2 under the checkpoint
 * model (a checkpoint is a crank boundary), and the report's `checkpoint` section.
 */
import type { InvariantVerdicts, RestartReport } from '../report.ts';
import type { CheckpointBootResult } from './boot-checkpoint.ts';

/** What a running System remembers of the checkpoints it took, to judge a restart against. */
export interface CheckpointHistory {
  newestComplete: number;
  /** Each complete checkpoint's crank and state hash (null without verification), by sequence number. */
  taken: Map<number, { crank: number; hash: string | null }>;
}

/**
 * `durabilityKey` names the checkpoint's I1 verdict (a model with a second durability verdict
 * qualifies it); `atomicity` says whether I2 rests on the checkpoint alone.
 */
export function judgeCheckpoint(c: CheckpointBootResult['checkpoint'], history: CheckpointHistory | null, invariants: InvariantVerdicts, options: { durabilityKey: string; atomicity: boolean }): void {
  const key = options.durabilityKey;
  if (history === null) {
    invariants[key] = 'not checked: no history of checkpoints before this boot';
    invariants['I10 checkpoint equivalence'] = 'not checked: no history of checkpoints before this boot';
    return;
  }
  invariants[key] = c.seq === history.newestComplete ? 'ok' : `restored checkpoint ${c.seq}, but checkpoint ${history.newestComplete} was complete before the power loss`;
  const taken = history.taken.get(c.seq);
  if (taken === undefined || taken.hash === null || c.stateHash === null) invariants['I10 checkpoint equivalence'] = `not checked: checkpoint ${c.seq} was not taken by this run`;
  else invariants['I10 checkpoint equivalence'] = taken.hash === c.stateHash ? 'ok' : `checkpoint ${c.seq} restored to state ${c.stateHash}, but the kernel was ${taken.hash} when it was taken`;
  if (options.atomicity) {
    const i10 = invariants['I10 checkpoint equivalence'];
    invariants['I2 atomicity'] = i10 === 'ok' ? 'ok' : i10.startsWith('not checked') ? 'not checked: it rests on I10, which was not checked' : 'see I10: the restored state is not the checkpointed crank boundary';
  }
}

/** The report's checkpoint section: which checkpoint was restored and what the explicit records changed on it. */
export function checkpointSection(c: CheckpointBootResult['checkpoint'], powerLossAt: number): NonNullable<RestartReport['checkpoint']> {
  return { seq: c.seq, crank: c.crank, passedOver: c.passedOver, overlaidStorage: c.overlaid, droppedCaps: c.dropped, lostCranksSince: Math.max(0, powerLossAt - c.crank) };
}
