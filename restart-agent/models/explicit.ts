/**
 * explicit (Coyotos): only what processes register (named capabilities) and write (storage
 * objects) survives. Every crank's change set is committed as one batch, synced every
 * `syncEvery`-th; an answer may leave once every commit up to its crank is synced. A restart
 * starts each registered process anew from its command line with its named capabilities.
 */
import { boot } from '../boot.ts';
import type { Observer } from '../observer.ts';
import type { CommitRequest, BootRequest, ModelBoot, ModelDriver, ModelHost, PersistenceModel, RestartEvidence, RestartJudgement } from './interface.ts';

export const explicitModel: PersistenceModel = {
  name: 'explicit',
  summary: 'Coyotos: only registered capabilities and written objects survive; processes restart from their command lines',
  checkpoints: false,
  writesRecords: true,
  driver: () => new ExplicitDriver(),
};

/** After a commit: when nothing is left unsynced, every crank so far survives a power loss. */
export async function commitExplicit(host: ModelHost, request: { sync?: boolean; labels?: boolean }, releaseOutput: boolean): Promise<void> {
  const { pending } = await host.commitRecords(request);
  if (releaseOutput && pending === 0) host.durableThrough(host.now);
}

/**
 * I1 and I2 for the explicit records: the database after the restart must equal the synced
 * commits plus a prefix of the unsynced ones. Without history the records booted become it.
 */
export function judgeRecords(evidence: RestartEvidence): { match: ReturnType<Observer['matchAfterRestart']> } | null {
  const { boot: booted, history, invariants } = evidence;
  if (history === null) {
    evidence.observer.adopt(booted.records, evidence.now);
    invariants['I1 durability'] = 'not checked: no history of commits before this boot';
    invariants['I2 atomicity'] = 'not checked: no history of commits before this boot';
    return null;
  }
  const match = history.matchAfterRestart(booted.records, booted.damagedKeys);
  invariants['I1 durability'] = match.ok ? 'ok' : (match.problem as string);
  invariants['I2 atomicity'] = match.ok ? 'ok' : 'see I1: the database is not a commit boundary';
  return { match };
}

class ExplicitDriver implements ModelDriver {
  async commit(host: ModelHost, request: CommitRequest): Promise<void> {
    await commitExplicit(host, request, true);
  }

  async afterCrank(host: ModelHost): Promise<void> {
    await commitExplicit(host, {}, true);
  }

  async afterCheckpoint(): Promise<void> {}

  async makeDurable(host: ModelHost): Promise<void> {
    await commitExplicit(host, { sync: true }, true);
  }

  powerLoss(): void {}

  boot(store: Parameters<ModelDriver['boot']>[0], request: BootRequest): Promise<ModelBoot> {
    const { keepRecords, idVariant, ...kernel } = request;
    return boot(store, { ...kernel, keepRecords, idVariant });
  }

  judge(evidence: RestartEvidence): RestartJudgement {
    const judged = judgeRecords(evidence);
    if (judged === null) return { lost: null, kept: null, restored: undefined };
    const { match } = judged;
    return { lost: match.ok ? evidence.powerLossAt - match.crank : null, kept: match.ok ? match.kept : null, restored: match.ok ? match.crank : null };
  }
}
