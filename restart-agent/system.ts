/**
 * A System binds one kernel to one store and drives it: create from a description, run
 * cranks (committing after each), pull the power, restart, and report with invariant verdicts.
 *
 * The commit protocol: after every crank the kernel's change set goes through the commit path
 * into one store batch. Every `syncEvery`-th batch is synced (and with it every earlier one);
 * the others sit in the OS's cache — in the simulation, the fault layer's volatile buffer — and
 * a power loss may drop them or keep a prefix of them. IDs are reserved durably before the
 * crank that may use them.
 */
import {
  instantiate,
  Kernel,
  KernelError,
  KernelUsageError,
  type CrankResult,
  type Limits,
  type ObjectId,
  type PlainData,
  type ScheduleMode,
  type SystemSpec,
  type TraceMode,
} from '../kernel/index.ts';
import { existsSync } from 'node:fs';
import { StoreError, type Store } from '../store/index.ts';
import { agentVariant, BROKEN_VARIANTS, isBrokenVariant, type AgentVariant, type BrokenVariant } from './broken-variants.ts';
import { CheckpointWriter, collect, orphansPossible, writeCheckpoint, type Collection, type CheckpointManifest } from './checkpoint/index.ts';
import { newBook, writeChanges, type CommitBook } from './commit-path.ts';
import { startOrder } from './dependency-order.ts';
import { DurableAllocator, ID_LOW_WATER } from './durable-ids.ts';
import { checkNoAmplification, checkRevocation, checkUniqueIds, systemFingerprint } from './invariants.ts';
import { stateHash } from '../kernel/index.ts';
import { heldSystemName, holdsSystem, putMarks, readLabels, storedModel } from './directory-marks.ts';
import { requireMarks } from './audit.ts';
import { resolveModel, type ModelChoice } from './models/registry.ts';
import type { Delivery, HostInput, ModelBoot, ModelDriver, ModelHost, PersistenceEvent, PersistenceModel } from './models/interface.ts';
import { guardDriver } from './models/guard.ts';
import { checkpointSection, type CheckpointHistory } from './checkpoint/verdicts.ts';
import { Observer } from './observer.ts';
import { ClientDriver } from './clients.ts';
import type { RestoredView } from './history.ts';
import { restoredView } from './restored-view.ts';
import { judgeOutputCommit, type OutputRelease } from './output-commit.ts';
import { Supervisor } from './policy.ts';
import type { BootReport, InvariantVerdicts, RestartReport } from './report.ts';
import { openLocation, type StoreLocation } from './store-location.ts';
import { writeSturdyChanges } from './sturdy-records.ts';

import { SystemError } from './system-error.ts';

export { PERSISTENCE_MODELS, BUILT_IN_MODELS, type ModelChoice, type BuiltInModelName } from './models/registry.ts';
export type { PersistenceModel, PersistenceEvent } from './models/interface.ts';
export { SystemError, type SystemErrorCode } from './system-error.ts';

/** Refused inputs skipped in a row before a step gives up looking for one the kernel takes. */
const INPUT_REFUSALS_MAX = 1000;

/** Cranks between checkpoints when the options do not say. */
export const DEFAULT_CHECKPOINT_EVERY = 100;
/** Checkpoints kept by collection when the options do not say. */
export const DEFAULT_CHECKPOINT_KEEP = 3;

export interface SystemOptions {
  spec: SystemSpec;
  store: StoreLocation;
  seed?: number;
  schedule?: ScheduleMode;
  trace?: TraceMode;
  traceKeep?: number;
  limits?: Partial<Limits>;
  /**
   * The persistence model: a built-in's name (models/registry.ts) or a model object of the
   * user's own (models/interface.ts). Default: 'explicit' for a new store, the store's own for
   * an existing one.
   */
  model?: ModelChoice;
  /** Sync every Nth commit (1: every commit is durable when acknowledged). */
  syncEvery?: number;
  /**
   * Record history and check invariants at every restart (default true; benchmarks turn it off).
   * Under the checkpoint models it also hashes the whole kernel at every checkpoint, for I10:
   * about 0.2 s at 100,000 objects, several times an incremental checkpoint's own cost.
   */
  verify?: boolean;
  /**
   * Group commit: the store holds this many unsynced commits in memory and writes them as one
   * batch (default 1). Held commits are lost by a power loss like unsynced ones; a synced
   * commit writes everything held.
   */
  groupCommit?: number;
  /** Checkpoint and both models: cranks between automatic checkpoints (0: only on demand). */
  checkpointEvery?: number;
  /** Checkpoint and both models: how many checkpoints collection keeps (at least 1). */
  checkpointKeep?: number;
  /**
   * A deliberately broken variant of the restart agent (broken-variants.ts), for showing that a
   * checker catches it. This System gets an instance of its own, kept across its power losses;
   * no other System sees it. Default: none, the faithful agent.
   */
  variant?: BrokenVariant;
  /** Told of every commit and every complete checkpoint as it happens (a viewer draws them on a timeline). */
  onPersistence?: (event: PersistenceEvent) => void;
  /**
   * When answers to clients may leave the machine (output-commit.ts): 'safe' (default) once the
   * work is durable under the model, 'unsafe' at once — to show what that costs.
   */
  release?: OutputRelease;
}

/** What one checkpoint did. */
export interface CheckpointOutcome {
  seq: number;
  crank: number;
  complete: boolean;
  blocksWritten: number;
  bytesWritten: number;
  objects: number;
  encoded: number;
  batches: number;
  collection: Collection | null;
}

export class System implements ModelHost {
  kernel: Kernel;
  store: Store;
  allocator: DurableAllocator;
  book: CommitBook;
  supervisor: Supervisor;
  readonly observer = new Observer();
  /** This System's own instance of `options.variant`, or null: the faithful agent. */
  readonly variant: AgentVariant | null;
  /** The clients outside the machine and their history, which power losses do not touch. */
  readonly clients: ClientDriver;
  /** Every crank up to this one is durable under the model: answers it produced may leave. */
  private durableClock = 0;
  readonly labels = new Map<string, ObjectId>();
  /** Cranks run across all boots of this System object: the clock for lost work. */
  cranksBefore = 0;
  inputIndex = 0;
  /** External inputs the kernel refused (endpoint gone, queue full), and the last one's reason. */
  refusedInputs = 0;
  lastRefusal: string | null = null;
  /** Directory entries under /labels/ that could not be read, named for error messages. */
  private damagedLabels: string[] = [];
  private commitsSinceSync = 0;
  private poweredOff = false;
  private powerLossAt = 0;
  /** The first ID the current boot handed out: restored objects lie below it (see fingerprint). */
  private firstFreshId = 0;
  /** Labels are read from the directory on the first input after a boot, not during it. */
  private labelsLoaded = true;
  /** The persistence model, and this System's driver of it (kept across its power losses). */
  readonly persistence: PersistenceModel;
  private readonly driver: ModelDriver;
  /** What the host did to the kernel since the last crank, for the model (Delivery.inputs). */
  private inputs: HostInput[] = [];
  /** Null under a model without checkpoints. */
  private writer: CheckpointWriter | null = null;
  private lastCheckpointAt = 0;
  /** Verification: the checkpoints this System took, to judge a restart against. */
  private readonly checkpoints: CheckpointHistory = { newestComplete: 0, taken: new Map() };
  /** What the checkpoints of this System object cost, across boots: what experiments measure. */
  readonly checkpointCost = { taken: 0, blocksWritten: 0, bytesWritten: 0, ms: 0 };

  private constructor(
    readonly options: SystemOptions,
    parts: { kernel: Kernel; store: Store; allocator: DurableAllocator; book: CommitBook; supervisor: Supervisor; model: PersistenceModel; driver: ModelDriver; variant: AgentVariant | null },
  ) {
    this.kernel = parts.kernel;
    this.store = parts.store;
    this.allocator = parts.allocator;
    this.book = parts.book;
    this.supervisor = parts.supervisor;
    this.persistence = parts.model;
    this.driver = parts.driver;
    this.variant = parts.variant;
    if (parts.model.checkpoints) this.writer = new CheckpointWriter(parts.variant?.changes ?? null);
    this.clients = new ClientDriver(options.spec.clients ?? [], options.release ?? 'safe');
  }

  get seed(): number {
    return this.options.seed ?? 1;
  }

  get verifying(): boolean {
    return this.options.verify ?? true;
  }

  /** The persistence model's name. */
  get model(): string {
    return this.persistence.name;
  }

  /** True under a model that takes checkpoints. */
  get checkpointing(): boolean {
    return this.persistence.checkpoints;
  }

  get syncEvery(): number {
    return this.options.syncEvery ?? 1;
  }

  /** Host inputs since the last crank (ModelHost). */
  get inputsPending(): number {
    return this.inputs.length;
  }

  /** The cumulative crank clock. */
  get now(): number {
    return this.cranksBefore + this.kernel.crankCount;
  }

  /** True when the location holds a store with at least one registration. */
  static async exists(location: StoreLocation): Promise<boolean> {
    if (location.backend === 'classic' && !existsSync(location.path)) return false;
    let store: Store;
    try {
      store = await openLocation(location, false);
    } catch (err) {
      if (err instanceof StoreError && err.code === 'not_found') return false;
      throw err;
    }
    try {
      return (await store.registrations.count()) > 0 || (await store.checkpoints.count()) > 0;
    } finally {
      await store.close();
    }
  }

  /** A new system on an empty store: wire the description, persist it, start it in dependency order. */
  static async create(options: SystemOptions): Promise<System> {
    const model = resolveModel(options.model ?? 'explicit');
    const variant = variantOf(options);
    const store = await openLocation(options.store, true, options.groupCommit);
    if ((await store.registrations.count()) > 0) {
      await store.close();
      throw new SystemError('store_not_empty', `the store at ${describeLocation(options.store)} holds a system already: boot it, or start fresh`);
    }
    await store.recordBoot();
    const allocator = new DurableAllocator(store, variant?.ids ?? null);
    // Wiring creates processes, store objects, endpoints and storage before any crank runs.
    const spec = options.spec;
    await allocator.ensure(ID_LOW_WATER + spec.processes.length * 2 + (spec.endpoints?.length ?? 0) + (spec.storage?.length ?? 0));
    const book = newBook();
    const supervisor = new Supervisor(book.policies);
    const kernel = new Kernel({ programs: options.spec.programs, seed: options.seed, schedule: options.schedule, trace: options.trace, traceKeep: options.traceKeep, limits: options.limits, allocator, onFault: supervisor.onFault, onExit: supervisor.onExit });
    const system = new System(options, { kernel, store, allocator, book, supervisor, model, driver: guardDriver(model, model.driver()), variant });
    const wiring = instantiate(kernel, options.spec);
    for (const [pid, policy] of wiring.policies) book.policies.set(pid, policy);
    for (const map of [wiring.processes, wiring.endpoints, wiring.storage]) for (const [label, id] of map) system.labels.set(label, id);
    const groups = startOrder([...wiring.processes.values()], (pid) => {
      const deps: ObjectId[] = [];
      for (const cap of kernel.process(pid).named.values()) if (cap.object.kind === 'endpoint' && cap.object.owner.id !== pid) deps.push(cap.object.owner.id);
      return deps;
    });
    for (const group of groups) for (const pid of group) kernel.start(pid);
    await system.commitModel({ sync: true, labels: true });
    if (system.checkpointing) await system.checkpoint();
    return system;
  }

  /** Boots the system a store holds (after a real process exit, or a power loss). */
  static async open(options: SystemOptions): Promise<{ system: System; report: RestartReport }> {
    if (options.model !== undefined) resolveModel(options.model);
    const variant = variantOf(options);
    const store = await openLocation(options.store, false, options.groupCommit);
    await closeOnError(store, () => requireMarks(store, options.spec.name));
    await checkHolds(store, options);
    let model: PersistenceModel;
    await closeOnError(store, async () => {
      model = resolveStoredModel(options.model ?? (await storedModel(store)) ?? 'explicit', options.model === undefined);
    });
    const driver = guardDriver(model!, model!.driver());
    const booted = await bootStore(store, options, driver, variant);
    const system = new System(options, { ...booted, store, model: model!, driver, variant });
    system.labelsLoaded = false;
    const report = system.finishBoot(booted, null);
    system.adoptBootedCheckpoint(booted);
    await system.afterBoot();
    return { system, report };
  }

  /**
   * A store opened afresh booted from a checkpoint another System took: it is the newest complete
   * one this System knows of, and the state it restored is that checkpoint's. A later restart is
   * judged against it (I1, I10) instead of against no checkpoint at all, which had reported a
   * checkpoint model that lost nothing as violating I1 and I2.
   */
  private adoptBootedCheckpoint(booted: ModelBoot): void {
    if (!('checkpoint' in booted)) return;
    const c = booted.checkpoint;
    this.checkpoints.newestComplete = c.seq;
    this.checkpoints.taken.set(c.seq, { crank: c.crank, hash: c.stateHash });
  }

  // ---- running -----------------------------------------------------------------------------------

  /** One crank and its commit; feeds the next external input when the system is idle. Null when idle with no input left. */
  async step(): Promise<CrankResult | null> {
    this.checkPowered();
    await this.allocator.ensure();
    await this.issueClientCalls();
    let result = this.crank();
    if (result === null && (await this.feedInput())) result = this.crank();
    if (result === null && this.clients.holding > 0) {
      // Idle, with answers waiting for their work to become durable: make it durable now, as a
      // real system syncs or checkpoints when output waits; the clients then go on.
      await this.makeDurable();
      await this.issueClientCalls();
      result = this.crank();
    }
    if (result === null) return null;
    this.collectAnswers();
    await this.afterCrank(result.delivery);
    const every = this.options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
    if (this.writer !== null && every > 0 && this.now - this.lastCheckpointAt >= every) await this.checkpoint();
    this.releaseAnswers();
    return result.delivery.result;
  }

  /**
   * One kernel step, with the IDs it drew; a step that finds nothing to run is noted as an
   * input too (it may throttle a process: a change, though no crank).
   */
  private crank(): { delivery: Delivery } | null {
    const first = this.allocator.peek();
    const result = this.kernel.step();
    if (result === null) {
      if (this.inputs[this.inputs.length - 1]?.kind !== 'idle') this.inputs.push({ kind: 'idle' });
      return null;
    }
    const delivery: Delivery = { result, clock: this.now, inputs: this.inputs, ids: { first, count: this.allocator.peek() - first } };
    this.inputs = [];
    return { delivery };
  }

  private async afterCrank(delivery: Delivery): Promise<void> {
    this.noteIssuedIds();
    await this.driver.afterCrank(this, delivery);
    this.noteIssuedIds();
  }

  /** Every ID a crank drew counts for I6, also when the crank leaves nothing to commit. */
  private noteIssuedIds(): void {
    this.observer.highestIssued = Math.max(this.observer.highestIssued, this.allocator.highestIssued);
  }

  /** Clients waiting on nothing call again (between cranks: they are outside the machine). */
  private async issueClientCalls(): Promise<void> {
    if (!this.clients.active) return;
    if (!this.labelsLoaded) await this.loadLabels();
    this.clients.issue(this.callGate, (label) => this.labels.get(label), this.now);
  }

  /** Clients call through here, so that each call the kernel takes is an input the model sees. */
  private readonly callGate: Pick<Kernel, 'hostCall' | 'objects'> = this.recordingCalls();

  private recordingCalls(): Pick<Kernel, 'hostCall' | 'objects'> {
    const system = this;
    return {
      get objects(): Kernel['objects'] {
        return system.kernel.objects;
      },
      hostCall(endpoint: ObjectId, payload: PlainData, badge: number): ObjectId {
        const ticket = system.kernel.hostCall(endpoint, payload, badge);
        system.inputs.push({ kind: 'call', endpoint, payload, badge, ticket });
        return ticket;
      },
    };
  }

  private collectAnswers(): void {
    const answers = this.kernel.takeHostAnswers();
    if (answers.length > 0) this.clients.collect(answers, this.cranksBefore, this.now, this.traceNote);
  }

  private releaseAnswers(): void {
    if (this.clients.holding > 0) this.clients.releaseThrough(this.durableClock, this.now, this.traceNote);
  }

  private readonly traceNote = (text: string): void => {
    this.kernel.hostNote(text);
    this.inputs.push({ kind: 'note', text });
  };

  /** Makes everything up to now durable under the model (a synced commit, a checkpoint, a synced transcript). */
  private async makeDurable(): Promise<void> {
    await this.driver.makeDurable(this);
    this.releaseAnswers();
  }

  /** ModelHost: answers produced up to `clock` may leave the machine. */
  durableThrough(clock: number): void {
    this.durableClock = Math.max(this.durableClock, clock);
  }

  /** ModelHost: tells SystemOptions.onPersistence. */
  emit(event: PersistenceEvent): void {
    this.options.onPersistence?.(event);
  }

  /** Runs up to `cranks` cranks; returns how many ran. */
  async run(cranks: number): Promise<number> {
    let n = 0;
    while (n < cranks && (await this.step()) !== null) n++;
    return n;
  }

  /**
   * Feeds the next external input. One the kernel refuses — its endpoint's process is gone, or
   * its queue is full — is counted in `refusedInputs` and the next is tried, as a network drops
   * a packet for a host that is down; a label the system never had is the description's error.
   */
  private async feedInput(): Promise<boolean> {
    for (let tries = 0; tries < INPUT_REFUSALS_MAX; tries++) {
      const input = this.options.spec.input?.(this.inputIndex);
      if (!input) return false;
      // Labels are not needed to restart, only to address inputs: read them on first use.
      if (!this.labelsLoaded) await this.loadLabels();
      const endpoint = this.labels.get(input.to);
      if (endpoint === undefined) {
        const damage = this.damagedLabels.length > 0 ? ` (damaged directory entries: ${this.damagedLabels.join(', ')})` : '';
        throw new KernelUsageError(`input ${this.inputIndex} goes to '${input.to}', which is no endpoint of this system${damage}`);
      }
      const index = this.inputIndex++;
      try {
        this.inject(endpoint, input.payload, input.badge ?? 0);
        return true;
      } catch (error) {
        if (!(error instanceof KernelError) && !(error instanceof KernelUsageError)) throw error;
        this.refusedInputs++;
        this.lastRefusal = `input ${index} to '${input.to}': ${error.message}`;
      }
    }
    return false;
  }

  /**
   * Makes durable a change the host made to the kernel between cranks (the REPL's spawn, grant,
   * revoke): it happened at no crank, so a model that replays cranks cannot replay it and
   * makes it durable otherwise (the transcript model takes a checkpoint).
   */
  async commit(opts: { sync?: boolean; labels?: boolean }): Promise<void> {
    await this.commitModel({ ...opts, hostChange: true });
  }

  /** Makes the work so far durable under the model, outside any crank: at creation (with the labels), after a boot, for a host change. */
  private async commitModel(opts: { sync?: boolean; labels?: boolean; hostChange?: boolean }): Promise<void> {
    this.noteIssuedIds();
    await this.driver.commit(this, { sync: opts.sync === true, labels: opts.labels, hostChange: opts.hostChange });
    this.noteIssuedIds();
  }

  /**
   * External input from the host to an endpoint (as the description's inputs are fed): the
   * kernel's inject, seen by the model as an input of the next crank. A refusal throws, as
   * Kernel.inject does, and is no input.
   */
  inject(endpoint: ObjectId, payload: PlainData, badge = 0): void {
    this.checkPowered();
    this.kernel.inject(endpoint, payload, badge);
    this.inputs.push({ kind: 'inject', endpoint, payload, badge });
  }

  /** ModelHost: the explicit commit path, the kernel's change set as one batch, synced every `syncEvery` commits. */
  async commitRecords(opts: { sync?: boolean; labels?: boolean }): Promise<{ pending: number }> {
    const changes = this.kernel.takeChanges();
    const empty = changes.registrations.size === 0 && changes.storage.size === 0 && changes.destroyedCapIds.length === 0 && changes.sturdy.size === 0;
    if (empty && !opts.labels && !opts.sync) {
      this.observer.quiet(this.now);
      return { pending: this.commitsSinceSync };
    }
    // The commit path gives every newly persisted capability a capId: reserve them first.
    let named = 0;
    for (const p of changes.registrations) named += p.named.size;
    await this.allocator.ensure(ID_LOW_WATER + named);
    const tx = this.store.begin();
    const recording = this.verifying ? this.observer.record(tx, this.now) : { tx, done: () => {} };
    writeChanges(this.kernel, changes, this.book, recording.tx, () => this.allocator.next(), this.variant?.commit ?? null);
    writeSturdyChanges(this.kernel, changes.sturdy, tx);
    if (opts.labels) this.putLabels(tx);
    this.commitsSinceSync++;
    const sync = opts.sync ?? this.commitsSinceSync >= this.syncEvery;
    await this.store.commit(tx, { sync });
    if (sync) this.commitsSinceSync = 0;
    recording.done(sync, changes.destroyedCapIds);
    this.emit({ kind: 'commit', crank: this.now, synced: sync, unsyncedBatches: this.store.faults?.unsyncedBatches ?? 0 });
    return { pending: this.commitsSinceSync };
  }

  /**
   * ModelHost: a model that writes no records between checkpoints writes only the directory
   * (labels, system name, model), when asked, and the sturdy references' records.
   */
  async skipRecords(opts: { labels?: boolean }): Promise<void> {
    const changes = this.kernel.takeChanges();
    if (!opts.labels && changes.sturdy.size === 0) return;
    const tx = this.store.begin();
    if (opts.labels) this.putLabels(tx);
    // Tokens may leave the machine, so their records are kept under every model (sturdy-records.ts).
    writeSturdyChanges(this.kernel, changes.sturdy, tx);
    await this.store.commit(tx, { sync: true });
  }

  private putLabels(tx: { putDirectory(path: string, id: number): void }): void {
    putMarks(tx, { labels: this.labels, system: this.options.spec.name, model: this.persistence.name });
  }

  // ---- checkpoints ------------------------------------------------------------------------------

  /**
   * Takes a checkpoint now, at this crank boundary, then collects old ones. With
   * `interruptAfterBatches`, only that many store batches of it are written and then the power
   * is pulled (keeping them all): a power loss in the middle of writing a checkpoint.
   */
  async checkpoint(opts: { interruptAfterBatches?: number } = {}): Promise<CheckpointOutcome> {
    this.checkPowered();
    const writer = this.writer;
    if (writer === null) throw new SystemError('model_unavailable', `checkpoints need a model that takes them (checkpoint, both, transcript); this system runs '${this.persistence.name}'`);
    // The explicit commit of the last crank goes first, so that the checkpoint never runs ahead of the database.
    await this.store.flush({ sync: false });
    const started = performance.now();
    const prepared = writer.prepare(this.kernel, { crank: this.now, policies: this.book.policies });
    const hash = this.verifying ? stateHash(this.kernel) : null;
    let outcome;
    try {
      outcome = await writeCheckpoint(this.store, prepared, opts);
    } catch (error) {
      // Some of its blocks may be missing: the next checkpoint must not count on them.
      writer.reset();
      throw error;
    }
    const m: CheckpointManifest = prepared.manifest;
    const result: CheckpointOutcome = { seq: m.seq, crank: m.crank, complete: outcome.done === 'complete', blocksWritten: m.blocksWritten, bytesWritten: m.bytesWritten, objects: m.objects, encoded: m.encoded, batches: outcome.batches, collection: null };
    if (outcome.done === 'interrupted') {
      await this.powerLoss({ keepBatches: outcome.batches });
      return result;
    }
    writer.lastSeq = m.seq;
    this.lastCheckpointAt = m.crank;
    this.checkpoints.newestComplete = m.seq;
    this.checkpoints.taken.set(m.seq, { crank: m.crank, hash });
    result.collection = await collect(this.store, { keep: this.options.checkpointKeep ?? DEFAULT_CHECKPOINT_KEEP });
    const cost = this.checkpointCost;
    cost.taken++;
    cost.blocksWritten += m.blocksWritten;
    cost.bytesWritten += m.bytesWritten;
    cost.ms += performance.now() - started;
    this.emit({ kind: 'checkpoint', crank: m.crank, seq: m.seq, blocksWritten: m.blocksWritten });
    await this.driver.afterCheckpoint(this, { seq: m.seq, crank: m.crank, kernelCrank: this.kernel.crankCount });
    return result;
  }

  // ---- power loss and restart --------------------------------------------------------------------------

  /** Pulls the power: the kernel is gone, unsynced writes are dropped but for `keepBatches` whole ones. */
  async powerLoss(opts: { keepBatches?: number } = {}): Promise<{ cranks: number; unsyncedBatches: number }> {
    this.checkPowered();
    const faults = this.store.faults;
    if (faults === null) throw new SystemError('no_power', 'this store is open for real runs (simulatedPowerLoss: false), without the fault layer that simulates power loss');
    const unsyncedBatches = faults.unsyncedBatches;
    this.driver.powerLoss(this);
    this.inputs = [];
    faults.powerLoss({ keepBatches: opts.keepBatches ?? 0 });
    this.powerLossAt = this.now;
    this.cranksBefore = this.now;
    this.poweredOff = true;
    this.clients.powerLoss(this.powerLossAt);
    return { cranks: this.powerLossAt, unsyncedBatches };
  }

  /** Boots the store again after a power loss and checks the invariants against history. */
  async restart(): Promise<RestartReport> {
    if (!this.poweredOff) throw new SystemError('no_power', 'restart follows a power loss: call powerLoss() first');
    const store = await openLocation(this.options.store, false, this.options.groupCommit);
    const booted = await bootStore(store, this.options, this.driver, this.variant);
    this.kernel = booted.kernel;
    this.store = store;
    this.allocator = booted.allocator;
    this.book = booted.book;
    this.supervisor = booted.supervisor;
    this.poweredOff = false;
    this.labelsLoaded = false;
    if ('checkpoint' in booted) this.cranksBefore = this.powerLossAt - booted.kernel.crankCount;
    const report = this.finishBoot(booted, this.observer);
    await this.afterBoot();
    return report;
  }

  /** The running system as plain data for history checkers (process states and storage, by label). */
  async view(): Promise<RestoredView> {
    this.checkPowered();
    if (!this.labelsLoaded) await this.loadLabels();
    return restoredView(this.kernel, this.labels);
  }

  /** A fingerprint of the persistent system, equal for two boots of the same database (I8). */
  fingerprint(): string {
    return systemFingerprint(this.kernel, this.firstFreshId);
  }

  /** After a boot: commit what the inits did, and under the checkpoint models pick up where the checkpoint left off. */
  private async afterBoot(): Promise<void> {
    // What the boot restored is durable as it is; the inits' work is made durable right here.
    this.durableClock = this.now;
    await this.commitModel({ sync: true });
    if (this.writer === null) return;
    this.lastCheckpointAt = this.now;
    if (await orphansPossible(this.store)) await collect(this.store, { keep: this.options.checkpointKeep ?? DEFAULT_CHECKPOINT_KEEP, sweepAll: true });
  }

  private finishBoot(result: ModelBoot, history: Observer | null): RestartReport {
    if ('checkpoint' in result) {
      this.writer = CheckpointWriter.resume(result.checkpoint.tree, result.checkpoint.serialNext, result.checkpoint.seq, this.variant?.changes ?? null);
    }
    this.firstFreshId = result.firstFreshId;
    const sections = { ...checkpointPart(result, this.powerLossAt), ...(result.transcript !== undefined ? { transcript: result.transcript } : {}) };
    if (!this.verifying) {
      return { seed: this.seed, model: this.model, ...sections, ...result.report, lostCranks: null, keptCommits: null, invariants: { all: 'not checked: verification is off' } };
    }
    const invariants: InvariantVerdicts = {};
    const { lost, kept, restored } = this.driver.judge({ boot: result, history, observer: this.observer, checkpoints: this.checkpoints, powerLossAt: this.powerLossAt, now: this.now, invariants });
    const observer = history ?? this.observer;
    invariants['I3 fidelity'] = result.fidelity;
    invariants['I4 no amplification'] = checkNoAmplification(result.kernel);
    invariants['I5 revocation'] = checkRevocation(result.kernel, observer);
    invariants['I6 unique IDs'] = checkUniqueIds(result.firstFreshId, observer);
    if (this.clients.active && restored !== undefined) invariants['I13 output commit'] = judgeOutputCommit(this.clients.releasedThrough, restored, this.clients.release);
    return { seed: this.seed, model: this.model, ...sections, ...result.report, lostCranks: lost, keptCommits: kept, invariants };
  }

  private async loadLabels(): Promise<void> {
    this.labelsLoaded = true;
    const { labels, damaged } = await readLabels(this.store);
    // Boot checked the directory's marks, not its labels (a label per object: reading them all
    // would cost a restart a quarter more): their scan, here, checks them against the account.
    const unaccounted = this.store.findings.find((f) => f.record === 'directory records');
    const first = damaged[0] ?? unaccounted?.record;
    if (first !== undefined) {
      throw new StoreError('damaged', `${unaccounted?.reason ?? 'its value is damaged'}: the labels that address inputs cannot be trusted; capsim verify names every problem, capsim repair sets what is damaged aside`, { record: first });
    }
    this.labels.clear();
    for (const [label, id] of labels) this.labels.set(label, id);
    this.damagedLabels = damaged;
  }

  private checkPowered(): void {
    if (this.poweredOff) throw new SystemError('no_power', 'the power is off: restart() first');
  }

  async close(): Promise<void> {
    if (!this.poweredOff) await this.store.close();
  }
}

/** Runs a check of a freshly opened store; a refusal closes it first. */
async function closeOnError(store: Store, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function bootStore(store: Store, options: SystemOptions, driver: ModelDriver, variant: AgentVariant | null): Promise<ModelBoot> {
  try {
    await requireMarks(store, options.spec.name);
    return await driver.boot(store, { keepRecords: options.verify ?? true, programs: options.spec.programs, seed: options.seed, schedule: options.schedule, trace: options.trace, traceKeep: options.traceKeep, limits: options.limits, idVariant: variant?.ids ?? null });
  } catch (error) {
    if (!store.closed) await store.close();
    throw error;
  }
}

/** The report's checkpoint section, under the checkpoint models. */
function checkpointPart(result: ModelBoot, powerLossAt: number): { checkpoint?: RestartReport['checkpoint'] } {
  return 'checkpoint' in result ? { checkpoint: checkpointSection(result.checkpoint, powerLossAt) } : {};
}

/** Refuses to boot a store with the programs of a system it does not hold. */
async function checkHolds(store: Store, options: SystemOptions): Promise<void> {
  if (await holdsSystem(store, options.spec.name)) return;
  const holds = await heldSystemName(store);
  await store.close();
  throw new SystemError(
    'not_a_system',
    holds === null
      ? `${describeLocation(options.store)} holds no capsim system description`
      : `${describeLocation(options.store)} holds system '${holds}', not '${options.spec.name}': name that system, or start fresh`,
  );
}

/** A fresh instance of the variant the options name, for one System; null without one. */
function variantOf(options: SystemOptions): AgentVariant | null {
  const name = options.variant;
  if (name === undefined) return null;
  if (!isBrokenVariant(name)) throw new SystemError('variant_unknown', `there is no broken variant '${String(name)}'; use one of: ${BROKEN_VARIANTS.join(', ')}`);
  return agentVariant(name);
}

/**
 * The model a store is opened under. A store made with a model of the user's own names it in
 * its mark: opening it without that model given is refused, saying so.
 */
function resolveStoredModel(choice: ModelChoice, fromStore: boolean): PersistenceModel {
  try {
    return resolveModel(choice);
  } catch (error) {
    if (!(fromStore && error instanceof SystemError && error.code === 'model_unavailable')) throw error;
    throw new SystemError('model_unavailable', `the store was made with persistence model '${String(choice)}', which is not built in: give that model again (--model ./its-file.ts, or SystemOptions.model)`);
  }
}

export function describeLocation(location: StoreLocation): string {
  return location.backend === 'memory' ? 'memory' : location.path;
}

export { heldSystemName, storedModel };
export type { BootReport, StoreLocation };
