/**
 * both: explicit commits after every crank plus checkpoints. A restart resumes at the newest
 * checkpoint and takes from the database what is newer there (checkpoint/boot-checkpoint.ts:
 * newer storage objects, revocations and ends since the checkpoint). Output waits for a
 * checkpoint, as under checkpoint: the explicit commits alone do not bring back a process's
 * state. Two durability verdicts: the checkpoint restored, and the explicit records.
 */
import type { Store } from '../../store/index.ts';
import type { CheckpointBootResult } from '../checkpoint/boot-checkpoint.ts';
import { bootCheckpoint, CheckpointingDriver, judgeCheckpointBoot } from './checkpoint.ts';
import { commitExplicit, judgeRecords } from './explicit.ts';
import type { CommitRequest, BootRequest, ModelHost, PersistenceModel, RestartEvidence, RestartJudgement } from './interface.ts';

export const bothModel: PersistenceModel = {
  name: 'both',
  summary: 'explicit commits plus checkpoints; a restart resumes at the checkpoint and overlays newer explicit records',
  checkpoints: true,
  writesRecords: true,
  driver: () => new BothDriver(),
};

class BothDriver extends CheckpointingDriver {
  async commit(host: ModelHost, request: CommitRequest): Promise<void> {
    await commitExplicit(host, request, false);
  }

  async afterCrank(host: ModelHost): Promise<void> {
    await commitExplicit(host, {}, false);
  }

  boot(store: Store, request: BootRequest): Promise<CheckpointBootResult> {
    return bootCheckpoint(store, request, true);
  }

  judge(evidence: RestartEvidence): RestartJudgement {
    const judged = judgeCheckpointBoot(evidence, { durabilityKey: 'I1 durability (checkpoint)', atomicity: false });
    const records = judgeRecords(evidence);
    return { ...judged, kept: records !== null && records.match.ok ? records.match.kept : null };
  }
}
