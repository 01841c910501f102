/**
 * checkpoint (EROS/KeyKOS): every `checkpointEvery` cranks a consistent checkpoint of the whole
 * kernel is written, incrementally; nothing is written between them but the directory marks. An
 * answer may leave once a checkpoint taken at or after its crank is durable, as KeyKOS and EROS
 * held output until the next checkpoint. A restart resumes exactly at the newest complete
 * checkpoint; the work since is lost, and the report says how much.
 */
import type { Store } from '../../store/index.ts';
import { bootFromCheckpoint, NoCheckpointError, type CheckpointBootResult } from '../checkpoint/boot-checkpoint.ts';
import { judgeCheckpoint } from '../checkpoint/verdicts.ts';
import { SystemError } from '../system-error.ts';
import type { CommitRequest, BootRequest, Delivery, ModelDriver, ModelHost, PersistenceModel, RestartEvidence, RestartJudgement, TakenCheckpoint } from './interface.ts';

export const checkpointModel: PersistenceModel = {
  name: 'checkpoint',
  summary: 'EROS: the whole kernel every N cranks; a restart resumes at the newest complete checkpoint',
  checkpoints: true,
  driver: () => new CheckpointDriver(),
};

/**
 * Boots the newest complete checkpoint; with `overlay`, newer explicit records go over it (the
 * both model). The sturdy records go over it too, unless `sturdyOverlay` is 'later': a model
 * that replays cranks first applies them after (CheckpointBootResult.sturdyLater).
 */
export async function bootCheckpoint(store: Store, request: BootRequest, overlay: boolean, sturdyOverlay: 'now' | 'later' = 'now'): Promise<CheckpointBootResult> {
  try {
    return await bootFromCheckpoint(store, { keepRecords: request.keepRecords, programs: request.programs, trace: request.trace, traceKeep: request.traceKeep, overlay, idVariant: request.idVariant, sturdyOverlay });
  } catch (error) {
    if (!(error instanceof NoCheckpointError)) throw error;
    throw new SystemError('no_checkpoint', error.message);
  }
}

/** The checkpoint's verdicts (I1 for the checkpoint restored, I10) and the work lost since it. */
export function judgeCheckpointBoot(evidence: RestartEvidence, options: { durabilityKey: string; atomicity: boolean }): RestartJudgement {
  const booted = evidence.boot as CheckpointBootResult;
  const known = evidence.history !== null;
  judgeCheckpoint(booted.checkpoint, known ? evidence.checkpoints : null, evidence.invariants, options);
  return { lost: known ? evidence.powerLossAt - booted.checkpoint.crank : null, kept: null, restored: known ? booted.checkpoint.crank : undefined };
}

/** What the checkpoint family shares: output leaves with a durable checkpoint, and waits for one. */
export abstract class CheckpointingDriver implements ModelDriver {
  abstract commit(host: ModelHost, request: CommitRequest): Promise<void>;
  abstract afterCrank(host: ModelHost, delivery: Delivery): Promise<void>;
  abstract boot(store: Store, request: BootRequest): ReturnType<ModelDriver['boot']>;
  abstract judge(evidence: RestartEvidence): RestartJudgement;

  async afterCheckpoint(host: ModelHost, taken: TakenCheckpoint): Promise<void> {
    host.durableThrough(taken.crank);
  }

  async makeDurable(host: ModelHost): Promise<void> {
    await host.checkpoint();
  }

  powerLoss(_host: ModelHost): void {}
}

class CheckpointDriver extends CheckpointingDriver {
  async commit(host: ModelHost, request: CommitRequest): Promise<void> {
    await host.skipRecords(request);
  }

  async afterCrank(host: ModelHost): Promise<void> {
    await host.skipRecords({});
  }

  boot(store: Store, request: BootRequest): Promise<CheckpointBootResult> {
    return bootCheckpoint(store, request, false);
  }

  judge(evidence: RestartEvidence): RestartJudgement {
    return judgeCheckpointBoot(evidence, { durabilityKey: 'I1 durability', atomicity: true });
  }
}
