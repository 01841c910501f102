/**
 * transcript (as Agoric SwingSet keeps a vat): a checkpoint plus a durable transcript of the
 * deliveries since it. After each crank one entry — the host's inputs before the crank, the IDs
 * it drew, its chained digest — is appended in its own batch, synced every `syncEvery`-th like
 * the explicit commits; an answer may leave once the entry of its crank is synced. A checkpoint
 * starts the transcript afresh: its base entry (the supervisor's memory, so restarts are decided
 * alike) replaces the entries before it. A restart restores the newest checkpoint and replays
 * the entries after it, checking each crank's digest; work is lost only past the last entry the
 * power loss left.
 */
import { stateHash } from '../../../kernel/index.ts';
import { StoreError, type Store } from '../../../store/index.ts';
import { isDamaged, type PlainData as StorePlain } from '../../../store/index.ts';
import { pushSturdyPhase, type CheckpointBootResult } from '../../checkpoint/boot-checkpoint.ts';
import { overlaySturdy } from '../../sturdy-records.ts';
import { Supervisor } from '../../policy.ts';
import type { RestartReport } from '../../report.ts';
import { bootCheckpoint, CheckpointingDriver, judgeCheckpointBoot } from '../checkpoint.ts';
import type { CommitRequest, BootRequest, Delivery, ModelBoot, ModelHost, PersistenceModel, RestartEvidence, RestartJudgement, TakenCheckpoint } from '../interface.ts';
import { chainStart, crankDigest } from './digest.ts';
import { decodeEntry, encodeEntry, type BaseEntry, type DeliveryEntry } from './entry.ts';
import { replay, type Replayed } from './replay.ts';

/** Live digests kept for judging a replay (verification on); past this many since a checkpoint, the oldest are not kept. */
export const LIVE_DIGESTS_MAX = 100_000;

/** Entries deleted per batch when a checkpoint retires the transcript before it. */
const DELETES_PER_BATCH = 100_000;

export const transcriptModel: PersistenceModel = {
  name: 'transcript',
  summary: 'SwingSet: a checkpoint plus a durable transcript of the deliveries since; a restart replays it, checking each crank',
  checkpoints: true,
  driver: () => new TranscriptDriver(),
};

/** What the driver knew of the live system when the power went, to judge the replay by. */
interface AtPowerLoss {
  /** The newest kernel crank whose entry was synced. */
  syncedThrough: number;
  /** The kernel crank of the last crank run, and the kernel's full state hash then (null: the host changed it since, or no verification). */
  lastCrank: number;
  stateHash: string | null;
  digests: Map<number, string>;
}

class TranscriptDriver extends CheckpointingDriver {
  /** The digest of the newest crank (or the chain's start at the newest checkpoint). */
  private digest = chainStart(0);
  /** Entries appended since the last sync. */
  private unsynced = 0;
  private syncedThrough = 0;
  /** The lowest kernel crank that may still have an entry in the store: where the next checkpoint's cleanup starts. */
  private oldestEntry = 0;
  /** Entries seen at boot that the replay did not use (past a gap): deleted with the first commit after it. */
  private stale: number[] = [];
  /** Verification: each live crank's digest since the newest checkpoint. */
  private digests = new Map<number, string>();
  private atPowerLoss: AtPowerLoss | null = null;
  private replayed: { replay: Replayed; stateHash: string | null; resumed: number } | null = null;
  /**
   * The kernel crank the last boot resumed at and the System's clock when it was made durable:
   * a later restart that resumes at that same crank resumes as of that clock, not of the older
   * crank the entry recorded (the cranks between were lost once, and counted then).
   */
  private bootMark: { kernelCrank: number; clock: number } | null = null;
  private booted = false;
  /**
   * The boot changed the replayed kernel from the database's sturdy records (a revocation or a
   * token no replayed crank made): a change outside any crank, made durable by a checkpoint
   * before anything runs, so that a later replay never runs this life's cranks without it.
   */
  private checkpointAfterBoot = false;

  async commit(host: ModelHost, request: CommitRequest): Promise<void> {
    await host.skipRecords(request);
    if (this.booted) {
      this.booted = false;
      this.bootMark = { kernelCrank: host.kernel.crankCount, clock: host.now };
    }
    // A change outside any crank is in no entry: only a checkpoint makes it durable.
    if (request.hostChange === true || this.checkpointAfterBoot) {
      await host.checkpoint();
      this.checkpointAfterBoot = false;
    }
    const tx = host.store.begin();
    for (const crank of this.stale) tx.deleteTranscript(crank);
    this.stale = [];
    if (tx.size === 0 && !request.sync) return;
    await host.store.commit(tx, { sync: request.sync });
    if (request.sync) this.synced(host);
  }

  async afterCrank(host: ModelHost, delivery: Delivery): Promise<void> {
    await host.skipRecords({});
    const kernel = host.kernel;
    this.digest = crankDigest(kernel, delivery.result, this.digest);
    const kernelCranks = kernel.crankCount - delivery.result.crank + 1;
    const entry: DeliveryEntry = { kind: 'delivery', clock: delivery.clock, inputs: [...delivery.inputs], ids: delivery.ids, kernelCranks, digest: this.digest };
    const tx = host.store.begin();
    tx.putTranscript(kernel.crankCount, encodeEntry(entry) as StorePlain);
    this.unsynced++;
    const sync = this.unsynced >= host.syncEvery;
    await host.store.commit(tx, { sync });
    if (host.verifying) this.remember(kernel.crankCount, this.digest);
    if (sync) this.synced(host);
    host.emit({ kind: 'commit', crank: host.now, synced: sync, unsyncedBatches: host.store.faults?.unsyncedBatches ?? 0 });
  }

  override async afterCheckpoint(host: ModelHost, taken: TakenCheckpoint): Promise<void> {
    await super.afterCheckpoint(host, taken);
    // The entries before the checkpoint are no longer needed (it is complete): its base replaces
    // them. A long transcript goes in several batches, each within a transaction's bound.
    let tx = host.store.begin();
    for (let crank = this.oldestEntry; crank < taken.kernelCrank; crank++) {
      if (tx.size >= DELETES_PER_BATCH) {
        await host.store.commit(tx, { sync: false });
        tx = host.store.begin();
      }
      tx.deleteTranscript(crank);
    }
    const base: BaseEntry = { kind: 'base', seq: taken.seq, clock: taken.crank, restarts: host.supervisor.recentRestarts() };
    tx.putTranscript(taken.kernelCrank, encodeEntry(base) as StorePlain);
    await host.store.commit(tx, { sync: true });
    this.synced(host);
    this.oldestEntry = taken.kernelCrank;
    this.digest = chainStart(taken.kernelCrank);
    this.digests.clear();
  }

  override async makeDurable(host: ModelHost): Promise<void> {
    await host.store.flush({ sync: true });
    this.synced(host);
  }

  override powerLoss(host: ModelHost): void {
    const quiet = host.inputsPending === 0 && host.verifying;
    this.atPowerLoss = { syncedThrough: this.syncedThrough, lastCrank: host.kernel.crankCount, stateHash: quiet ? stateHash(host.kernel) : null, digests: this.digests };
    this.digests = new Map();
    this.unsynced = 0;
  }

  async boot(store: Store, request: BootRequest): Promise<ModelBoot> {
    // The sturdy records wait for the replay: the cranks it runs made and revoked some of them.
    const booted = await bootCheckpoint(store, request, false, 'later');
    try {
      return await this.replayOnto(store, booted, request.keepRecords);
    } catch (error) {
      if (!store.closed) await store.close();
      throw error;
    }
  }

  private async replayOnto(store: Store, booted: CheckpointBootResult, verify: boolean): Promise<ModelBoot> {
    const kernel = booted.kernel;
    const base = kernel.crankCount;
    const { entries, baseEntry, stale, oldest } = await readTranscript(store, base);
    if (baseEntry !== null) {
      // Restarts are decided as the live supervisor would have: with its memory of recent ones.
      // Without a base (its batch lost right after the checkpoint) the life that wrote the
      // entries after it booted without one too, with a supervisor that remembered nothing.
      const supervisor = Supervisor.resume(booted.book.policies, baseEntry.restarts);
      kernel.onFault = supervisor.onFault;
      kernel.onExit = supervisor.onExit;
      booted.supervisor = supervisor;
      booted.report.supervisor = supervisor.events;
    }
    const done = replay(kernel, entries, { kernelCrank: base, clock: booted.checkpoint.crank, digest: chainStart(base) });
    kernel.takeChanges();
    const mark = this.bootMark;
    const resumed = mark !== null && mark.kernelCrank === done.kernelCrank ? Math.max(done.clock, mark.clock) : done.clock;
    // I10 after replay is judged on what the replay made, before the database's word is applied.
    this.replayed = { replay: done, stateHash: verify ? stateHash(kernel) : null, resumed };
    const tokens = applySturdyAfterReplay(booted);
    this.checkpointAfterBoot = tokens.revoked + tokens.added > 0;
    this.digest = done.digest;
    this.syncedThrough = done.kernelCrank;
    this.unsynced = 0;
    this.oldestEntry = Math.min(base, oldest);
    this.stale = stale;
    this.booted = true;
    const section: NonNullable<RestartReport['transcript']> = {
      checkpointCrank: booted.checkpoint.crank,
      replayedCranks: done.cranks,
      replayMs: done.ms,
      resumedAt: resumed,
      entriesDropped: stale.length,
    };
    booted.report.phases.push({ phase: booted.report.phases.length + 1, name: 'replay transcript', detail: `${done.cranks} crank(s) after checkpoint ${booted.checkpoint.seq} replayed in ${done.ms.toFixed(1)} ms, each digest as recorded${stale.length > 0 ? `; ${stale.length} entr${stale.length === 1 ? 'y' : 'ies'} past a gap set to be deleted` : ''}` });
    pushSturdyPhase(booted.report.phases, tokens, `${tokens.revoked} revoked and ${tokens.added} made that the replay did not reproduce; a checkpoint keeps them before anything runs`);
    return { ...booted, transcript: section };
  }

  judge(evidence: RestartEvidence): RestartJudgement {
    const judged = judgeCheckpointBoot(evidence, { durabilityKey: 'I1 durability (checkpoint)', atomicity: false });
    const replayed = this.replayed;
    const live = this.atPowerLoss;
    this.atPowerLoss = null;
    const { invariants } = evidence;
    if (replayed === null) return judged;
    this.digests = new Map(replayed.replay.digests);
    if (evidence.history === null || live === null) {
      for (const key of ['I1 durability', 'I2 atomicity', 'I10 after replay']) invariants[key] = 'not checked: no history of the transcript before this boot';
      return judged;
    }
    const r = replayed.replay;
    const resumed = replayed.resumed;
    invariants['I1 durability'] = r.kernelCrank >= live.syncedThrough ? 'ok' : `the transcript was synced through kernel crank ${live.syncedThrough}, but the replay ended at ${r.kernelCrank}`;
    invariants['I10 after replay'] = judgeReplay(r, replayed.stateHash, live, invariants['I10 checkpoint equivalence'] ?? '');
    invariants['I2 atomicity'] = invariants['I10 after replay'] === 'ok' ? 'ok' : invariants['I10 after replay'].startsWith('not checked') ? invariants['I10 after replay'] : 'see I10 after replay: the replayed state is not a crank boundary of the run';
    return { lost: evidence.powerLossAt - resumed, kept: Math.max(0, r.kernelCrank - live.syncedThrough), restored: resumed };
  }

  private synced(host: ModelHost): void {
    this.unsynced = 0;
    this.syncedThrough = host.kernel.crankCount;
    host.durableThrough(host.now);
  }

  private remember(crank: number, digest: string): void {
    if (this.digests.size >= LIVE_DIGESTS_MAX) this.digests.delete(this.digests.keys().next().value as number);
    this.digests.set(crank, digest);
  }
}

/**
 * I10 after replay: the replayed kernel equals the live one at the crank the replay ended —
 * by the full state hash when the replay reached the last crank run and the host changed
 * nothing after it, otherwise by that crank's digest.
 */
function judgeReplay(r: Replayed, replayedHash: string | null, live: AtPowerLoss, checkpointVerdict: string): string {
  if (r.cranks === 0) return checkpointVerdict;
  if (r.kernelCrank === live.lastCrank && live.stateHash !== null && replayedHash !== null) {
    return replayedHash === live.stateHash ? 'ok' : `the replay ended at kernel crank ${r.kernelCrank} in state ${replayedHash}, but the kernel was ${live.stateHash} there`;
  }
  const expected = live.digests.get(r.kernelCrank);
  if (expected === undefined) return `not checked: no live digest of kernel crank ${r.kernelCrank} was kept`;
  return expected === r.digest ? 'ok' : `the replay ended at kernel crank ${r.kernelCrank} with digest ${r.digest}, but the run's was ${expected}`;
}

/**
 * The transcript after the checkpoint at kernel crank `base`: its base entry, the deliveries
 * from `base`+1 on as long as they follow each other (each stored at its last kernel crank, and
 * starting right after the one before), and the keys past a gap (stale: a life before the one
 * that wrote the checkpoint). A damaged entry refuses the boot, naming it.
 */
async function readTranscript(store: Store, base: number): Promise<{ entries: DeliveryEntry[]; baseEntry: BaseEntry | null; stale: number[]; oldest: number }> {
  const entries: DeliveryEntry[] = [];
  const stale: number[] = [];
  let baseEntry: BaseEntry | null = null;
  let oldest = base;
  let next = base + 1;
  for await (const record of store.transcript.scan()) {
    if (isDamaged(record)) throw new StoreError('damaged', `${record.reason}: the deliveries since the checkpoint cannot be replayed; capsim verify names every problem`, { record: record.record });
    oldest = Math.min(oldest, record.crank);
    if (record.crank < base) continue;
    const entry = decodeEntry(record.crank, record.entry);
    if (record.crank === base) {
      if (entry.kind === 'base') baseEntry = entry;
      continue;
    }
    if (entry.kind === 'delivery' && record.crank - entry.kernelCranks + 1 === next && stale.length === 0) {
      entries.push(entry);
      next = record.crank + 1;
    } else stale.push(record.crank);
  }
  return { entries, baseEntry, stale, oldest };
}

/**
 * After the replay, the database's sturdy records go over the replayed table — what the replay
 * made already equals them, so only what it cannot reproduce changes anything: an operator's
 * revoke of a stopped store (`capsim sturdy revoke`), a record that cannot be read (its token is
 * revoked), and the records of cranks whose entries the power loss took (each record is synced
 * in the crank's own batch before its entry): a revocation made there stays made (I5), a token
 * made there is put back under its source, as the checkpoint model does.
 */
function applySturdyAfterReplay(booted: CheckpointBootResult): { revoked: number; added: number } {
  const later = booted.sturdyLater;
  if (later === null) return { revoked: 0, added: 0 };
  const tokens = overlaySturdy(booted.kernel, later.records, later.damagedIds);
  // The database already says all this: nothing is rewritten.
  booted.kernel.takeChanges();
  return tokens;
}
