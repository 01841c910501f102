/**
 * A persistence model of one's own, loaded with `--model experiments/models/sync-on-output.ts`
 * (or `grid: { model: ['./models/sync-on-output.ts'] }` in an experiment): the explicit model's
 * records, synced only when output waits — when the system goes idle with answers held, the
 * "commit on output" of rollback recovery — and at the latest every SYNC_BOUND commits, whatever
 * `syncEvery` says. It syncs rarely and loses fewer than SYNC_BOUND cranks; answers wait longer
 * (the cost experiments measure as output latency), and no client is told of work a power loss
 * undoes.
 *
 * It reuses the explicit model's boot and judgement (what survives is the same kind of records)
 * and changes only when a commit is synced and when answers may leave. It takes the explicit
 * model from the kit capsim hands `model` and imports capsim for types only, so that it runs
 * against the very copy of capsim that loads it (docs/persistence-models.md).
 */
import type { CommitRequest, Delivery, ModelDriver, ModelHost, ModelKit, PersistenceModel } from '../../restart-agent/index.ts';

/** The most commits left unsynced: the bound on the work a power loss can undo. */
export const SYNC_BOUND = 64;

class SyncOnOutputDriver implements ModelDriver {
  /** Commits since the last sync. */
  private sinceSync = 0;

  /** The explicit model's own driver, for what this model does not change. */
  constructor(private readonly explicit: ModelDriver) {}

  async commit(host: ModelHost, request: CommitRequest): Promise<void> {
    await this.commitRecords(host, request.sync, request.labels);
  }

  async afterCrank(host: ModelHost, _delivery: Delivery): Promise<void> {
    await this.commitRecords(host, false);
  }

  async afterCheckpoint(): Promise<void> {}

  /** Answers wait and the system is idle: this is when a sync is worth its cost. */
  async makeDurable(host: ModelHost): Promise<void> {
    await this.commitRecords(host, true);
  }

  powerLoss(host: ModelHost): void {
    this.sinceSync = 0;
    this.explicit.powerLoss(host);
  }

  boot(...args: Parameters<ModelDriver['boot']>): ReturnType<ModelDriver['boot']> {
    return this.explicit.boot(...args);
  }

  judge(...args: Parameters<ModelDriver['judge']>): ReturnType<ModelDriver['judge']> {
    return this.explicit.judge(...args);
  }

  private async commitRecords(host: ModelHost, force: boolean, labels?: boolean): Promise<void> {
    this.sinceSync++;
    const { pending } = await host.commitRecords({ sync: force || this.sinceSync >= SYNC_BOUND, labels });
    if (pending > 0) return;
    this.sinceSync = 0;
    host.durableThrough(host.now);
  }
}

export function model(kit: ModelKit): PersistenceModel {
  return {
    name: 'sync-on-output',
    summary: 'explicit records, synced only when an answer waits to leave (and every 64 commits at the latest)',
    checkpoints: false,
    writesRecords: true,
    driver: () => new SyncOnOutputDriver(kit.explicitModel.driver()),
  };
}
