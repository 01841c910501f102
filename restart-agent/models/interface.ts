/**
 * A persistence model as a plug-in (docs/persistence-models.md). The System runs cranks and
 * owns the machinery every model may use — the explicit commit path, the checkpoint writer, the
 * output gate; the model decides what is written after each crank, what a checkpoint means for
 * it, how a store is booted, when an answer may leave the machine, and how a restart is judged.
 *
 * A model is a plain object; `driver()` gives each System an instance of its own, kept across
 * that System's power losses, so that what a model remembers (what it synced, what it saw live)
 * never leaks between two Systems sharing one model object.
 */
import type { CrankResult, Kernel, KernelOptions, ObjectId, PlainData } from '../../kernel/index.ts';
import type { Store } from '../../store/index.ts';
import type { BootResult } from '../boot.ts';
import type { CheckpointBootResult } from '../checkpoint/boot-checkpoint.ts';
import type { CheckpointHistory } from '../checkpoint/verdicts.ts';
import type { IdVariant } from '../durable-ids.ts';
import type { Observer } from '../observer.ts';
import type { Supervisor } from '../policy.ts';
import type { InvariantVerdicts, RestartReport } from '../report.ts';

export interface PersistenceModel {
  /** Its name: written in the store's `/model/` mark, shown in reports. Lowercase letters, digits and dashes. */
  readonly name: string;
  /** One line for help texts and reports. */
  readonly summary: string;
  /**
   * True when the model takes whole-kernel checkpoints: the System keeps a checkpoint writer,
   * takes one every `checkpointEvery` cranks and on `system.checkpoint()`, and right after the
   * system is created.
   */
  readonly checkpoints: boolean;
  /**
   * True when the model commits the explicit records (ModelHost.commitRecords) after cranks, so
   * that the disk is a cut of the system at a crank boundary: the crash explorer (tools/check)
   * then holds it to that. Default false.
   */
  readonly writesRecords?: boolean;
  /** A fresh driver for one System. */
  driver(): ModelDriver;
}

/** One System's instance of a model: its hooks, in the order a System calls them. */
export interface ModelDriver {
  /**
   * Makes the work so far durable outside any crank: when the system is created (`labels` set:
   * the directory marks go too), after every boot, and for a change the host made to the kernel
   * between cranks (`hostChange`: the REPL's spawn or grant, which no crank replays).
   */
  commit(host: ModelHost, request: CommitRequest): Promise<void>;
  /** After each crank, before its answers may leave. */
  afterCrank(host: ModelHost, delivery: Delivery): Promise<void>;
  /** After a checkpoint is complete and durable (models with `checkpoints` only). */
  afterCheckpoint(host: ModelHost, taken: TakenCheckpoint): Promise<void>;
  /** Answers wait and the system is idle: make everything up to now durable, so they may leave. */
  makeDurable(host: ModelHost): Promise<void>;
  /** The power went: the kernel is gone (still readable here), unsynced writes too. */
  powerLoss(host: ModelHost): void;
  /** Rebuilds a kernel from the store: at `System.open` and after a power loss. Writes nothing. */
  boot(store: Store, request: BootRequest): Promise<ModelBoot>;
  /** Fills the restart's durability, atomicity and equivalence verdicts, and says what was lost. */
  judge(evidence: RestartEvidence): RestartJudgement;
}

export interface CommitRequest {
  sync: boolean;
  labels?: boolean | undefined;
  hostChange?: boolean | undefined;
}

/** What the System offers a model. */
export interface ModelHost {
  readonly kernel: Kernel;
  readonly store: Store;
  /** The System's crank clock: cranks run across all its boots. */
  readonly now: number;
  /** Sync every Nth commit (SystemOptions.syncEvery, default 1). */
  readonly syncEvery: number;
  /** Record history and check invariants (SystemOptions.verify). */
  readonly verifying: boolean;
  /** The restart policies' supervisor (its recent restarts decide the next). */
  readonly supervisor: Supervisor;
  /** Host inputs since the last crank: 0 when the kernel is as the last crank left it. */
  readonly inputsPending: number;
  /**
   * The explicit commit path: the kernel's change set since the last call as one batch
   * (registrations, storage, revocations). `sync` true or false decides; left out, every
   * `syncEvery`-th commit is synced.
   * `pending` is the number of commits not yet synced after it: 0 means all work is durable.
   */
  commitRecords(request: { sync?: boolean; labels?: boolean }): Promise<{ pending: number }>;
  /** Drops the kernel's change set unwritten; with `labels`, writes the directory marks (synced). */
  skipRecords(request: { labels?: boolean }): Promise<void>;
  /** Takes a checkpoint now (models with `checkpoints`). */
  checkpoint(): Promise<unknown>;
  /** Every crank up to `clock` would survive a power loss: answers it produced may leave the machine. */
  durableThrough(clock: number): void;
  /** Tells `SystemOptions.onPersistence` of a write. */
  emit(event: PersistenceEvent): void;
}

/** A write a persistence model made: a commit batch (synced or left in the volatile buffer), or a checkpoint. */
export type PersistenceEvent =
  | { kind: 'commit'; crank: number; synced: boolean; unsyncedBatches: number }
  | { kind: 'checkpoint'; crank: number; seq: number; blocksWritten: number };

/**
 * What the host did to the kernel between cranks, in order: an external input injected, a
 * client's call (with the reply object's ID it drew), a trace note, a step that found nothing
 * to run. With the IDs a crank drew, these make a crank replayable.
 */
export type HostInput =
  | { kind: 'inject'; endpoint: ObjectId; payload: PlainData; badge: number }
  | { kind: 'call'; endpoint: ObjectId; payload: PlainData; badge: number; ticket: ObjectId }
  | { kind: 'note'; text: string }
  | { kind: 'idle' };

/** One crank as the host saw it. */
export interface Delivery {
  result: CrankResult;
  /** The System's clock after the crank. */
  clock: number;
  /** What the host did to the kernel since the crank before, oldest first. */
  inputs: readonly HostInput[];
  /** The IDs the crank itself drew: `count` of them from `first` on. */
  ids: { first: ObjectId; count: number };
}

export interface TakenCheckpoint {
  seq: number;
  /** The System's clock at the checkpoint. */
  crank: number;
  /** The kernel's own crank count at the checkpoint. */
  kernelCrank: number;
}

/** What a boot needs besides the store. */
export type BootRequest = Omit<KernelOptions, 'allocator' | 'onFault' | 'onExit'> & {
  /** Keep the records read, for the durability verdicts (verification on). */
  keepRecords: boolean;
  /** How a deliberately broken agent allocates IDs (broken-variants.ts); none for the faithful one. */
  idVariant: IdVariant | null;
};

/** A booted kernel and what the report says of the boot. */
export type ModelBoot = (BootResult | CheckpointBootResult) & {
  /** Models that replay a transcript: what the replay did (the report's `transcript` section). */
  transcript?: NonNullable<RestartReport['transcript']>;
};

export interface RestartEvidence {
  boot: ModelBoot;
  /** The System's record of what it committed before the power loss; null on a first boot of a store (no history). */
  history: Observer | null;
  /** The System's observer, to adopt the records booted when there is no history. */
  observer: Observer;
  /** The checkpoints this System took, when there is a history. */
  checkpoints: CheckpointHistory;
  /** The System's clock when the power went. */
  powerLossAt: number;
  now: number;
  /** The verdicts to fill (I1, I2, I10 and any of the model's own). */
  invariants: InvariantVerdicts;
}

export interface RestartJudgement {
  /** Cranks run before the power loss whose effects did not survive (null: unknown). */
  lost: number | null;
  /** Unsynced commits that survived (null: not counted). */
  kept: number | null;
  /** The crank the restart resumed the system as of (undefined: no power loss to judge; null: unknown), for I13. */
  restored: number | null | undefined;
}
