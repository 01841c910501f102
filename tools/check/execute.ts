/**
 * Runs one schedule: create the system on a fresh disk, and for each step run its cranks, inject
 * its fault, restart, and let the judge hand down every verdict. Deterministic: the schedule is
 * the only input, so the same schedule gives the same outcome (and with `repeat`, that is
 * checked: I9).
 */
import { KernelError, KernelUsageError, type Limits, type SystemSpec } from '../../kernel/index.ts';
import { resolveModel, System, systemFingerprint, writeChanges, openLocation, type BrokenVariant, type History, type ModelChoice, type OutputRelease, type RestartReport } from '../../restart-agent/index.ts';
import { StoreError } from '../../store/index.ts';
import { memoryDisk, type CheckDisk } from './disk.ts';
import { Judge, JUDGE_INVARIANTS, type Violation } from './judge.ts';
import { projectKernel } from './projection.ts';
import type { Fault, FaultKind, Schedule, Step } from './schedule.ts';
import { vocabularyOf, withWorkload, type Vocabulary } from './workload.ts';
import { asVerdict, checksOf, type HistoryCheck } from '../testing/checkers/index.ts';

/**
 * Cranks run after the last restart when the system has clients: they go on asking, so that an
 * operation after the restart can show what it forgot (as Jepsen's final reads).
 */
export const SETTLE_CRANKS = 20;

/**
 * An application's own invariant, checked after every restart (with that restart's report, which
 * says what was quarantined or lost, and the clients' history so far): a problem sentence, or null.
 */
export type AppCheck = (system: System, report: RestartReport, history: History) => string | null | Promise<string | null>;

export interface ExecuteOptions {
  /** A built-in model's name or a model object (default explicit). */
  model?: ModelChoice;
  limits?: Partial<Limits>;
  /** Named application checks run after every restart, beside the kernel's invariants. */
  appChecks?: Record<string, AppCheck>;
  /**
   * Named history checkers (capsim/testing), beside those the description asks for (durable when
   * it says what `reflects`, linearizable when it has a model): each judges the clients' history
   * and the system as plain data after every restart and once at the end of the run.
   */
  historyChecks?: Record<string, HistoryCheck>;
  /** When answers may leave the machine (default 'safe'). */
  release?: OutputRelease;
  /** A fresh disk per run (default: memory). */
  disk?: () => Promise<CheckDisk> | CheckDisk;
  /** The vocabulary of `spec`, when the caller has it already (it is the same every run). */
  vocabulary?: Vocabulary;
  /**
   * Run a deliberately broken restart agent (restart-agent/broken-variants.ts), to see a checker
   * catch it. Each run's System gets a fresh instance: no run can leak into the next.
   */
  variant?: BrokenVariant;
}

/** What one step did, for the readable failure report. */
export interface StepLog {
  cranks: number;
  /** The crank clock when the power went. */
  clock: number;
  unsyncedBatches: number;
  writeFailed: boolean;
  lostCranks: number | null;
  quarantined: string[];
  traceHash: string;
  fingerprint: string;
}

export interface RunStats {
  cranks: number;
  faults: Record<FaultKind, number>;
  powerLosses: number;
  restarts: number;
  /** External inputs the kernel refused (sent to a process that is gone). */
  refusedInputs: number;
  /** Verdicts handed down, by invariant. */
  checked: Map<string, number>;
  /** History checkers that hit their search bound: too large to decide, by name. */
  undecided: Map<string, number>;
}

export interface RunOutcome {
  violations: Violation[];
  log: StepLog[];
  stats: RunStats;
  /** What the clients asked and were told, across every power loss. */
  history: History;
}

export function emptyStats(): RunStats {
  return { cranks: 0, faults: { power: 0, write: 0, restart: 0, damage: 0, checkpoint: 0 }, powerLosses: 0, restarts: 0, refusedInputs: 0, checked: new Map(), undecided: new Map() };
}

export function addStats(into: RunStats, from: RunStats): void {
  into.cranks += from.cranks;
  for (const k of Object.keys(from.faults) as FaultKind[]) into.faults[k] += from.faults[k];
  into.powerLosses += from.powerLosses;
  into.restarts += from.restarts;
  into.refusedInputs += from.refusedInputs;
  for (const [name, n] of from.checked) into.checked.set(name, (into.checked.get(name) ?? 0) + n);
  for (const [name, n] of from.undecided) into.undecided.set(name, (into.undecided.get(name) ?? 0) + n);
}

/** Runs `schedule` on `spec`, twice when it asks for I9. */
export async function runSchedule(spec: SystemSpec, schedule: Schedule, options: ExecuteOptions = {}): Promise<RunOutcome> {
  const first = await runOnce(spec, schedule, options);
  if (!schedule.repeat) return first;
  const second = await runOnce(spec, schedule, options);
  addStats(first.stats, second.stats);
  const verdict = sameRun(first.log, second.log);
  first.stats.checked.set(JUDGE_INVARIANTS.determinism, (first.stats.checked.get(JUDGE_INVARIANTS.determinism) ?? 0) + 1);
  if (verdict !== 'ok') first.violations.push({ invariant: JUDGE_INVARIANTS.determinism, detail: verdict, step: 0 });
  return first;
}

function sameRun(a: StepLog[], b: StepLog[]): string {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) return `the first run had ${a.length} step(s), the second ${b.length}`;
    if (x.traceHash !== y.traceHash) return `step ${i + 1}: trace hash ${x.traceHash} the first time, ${y.traceHash} the second`;
    if (x.fingerprint !== y.fingerprint || x.cranks !== y.cranks || x.lostCranks !== y.lostCranks) return `step ${i + 1}: the restarted systems differ between the two runs`;
  }
  return 'ok';
}

async function runOnce(spec: SystemSpec, schedule: Schedule, options: ExecuteOptions): Promise<RunOutcome> {
  const vocabulary = options.vocabulary ?? vocabularyOf(spec);
  const disk = await (options.disk ?? memoryDisk)();
  const judge = new Judge(resolveModel(options.model ?? 'explicit'));
  const stats = emptyStats();
  const log: StepLog[] = [];
  const checks = new HistoryJudge({ ...checksOf(spec), ...(options.historyChecks ?? {}) }, judge);
  const systemOptions = {
    spec: withWorkload(spec, vocabulary, schedule.inputs, schedule.clients ?? null),
    store: disk.location,
    seed: schedule.seed,
    schedule: schedule.schedule,
    syncEvery: schedule.syncEvery,
    trace: 'hash' as const,
    ...(schedule.checkpointEvery !== undefined ? { checkpointEvery: schedule.checkpointEvery } : {}),
    ...(options.model !== undefined ? { model: options.model } : {}),
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
    ...(options.variant !== undefined ? { variant: options.variant } : {}),
    ...(options.release !== undefined ? { release: options.release } : {}),
  };
  let system: System | null = null;
  try {
    system = await System.create(systemOptions);
    judge.boundary(system.kernel, system.now, true, system.allocator.highestIssued);
    let ended = false;
    for (const [i, step] of schedule.steps.entries()) {
      judge.step = i + 1;
      ended = await runStep(system, step, judge, stats, log, disk, options, checks);
      if (ended) break;
    }
    if (!ended && system.clients.active) {
      stats.cranks += await settle(system, stats);
      await checks.judge(system);
    }
  } catch (err) {
    judge.violations.push({ invariant: 'no crash', detail: `capsim threw: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`, step: judge.step });
  } finally {
    await system?.close().catch(() => undefined);
    await disk.dispose();
  }
  stats.checked = judge.checked;
  stats.undecided = judge.undecided;
  return { violations: judge.violations, log, stats, history: system === null ? [] : [...system.clients.history] };
}

/** The clients go on after the last restart, with no fault, until they are done or SETTLE_CRANKS ran. */
async function settle(system: System, stats: RunStats): Promise<number> {
  let ran = 0;
  for (let turn = 0; turn < SETTLE_CRANKS; turn++) {
    try {
      if ((await system.step()) === null) break;
      ran++;
    } catch (err) {
      if (!(err instanceof KernelError || err instanceof KernelUsageError)) throw err;
      stats.refusedInputs++;
    }
  }
  return ran;
}

/**
 * The history checkers of one run. Each is judged after every restart and at the end; once one
 * has failed it is not asked again, so a run reports each broken promise once, at the first
 * point it showed.
 */
class HistoryJudge {
  private readonly failed = new Set<string>();

  constructor(
    private readonly checks: Record<string, HistoryCheck>,
    private readonly verdicts: Judge,
  ) {}

  async judge(system: System): Promise<void> {
    const names = Object.keys(this.checks).filter((n) => !this.failed.has(n));
    if (names.length === 0 || !system.clients.active) return;
    const view = await system.view();
    for (const name of names) {
      const verdict = asVerdict((this.checks[name] as HistoryCheck)(system.clients.history, view));
      this.verdicts.history(name, verdict);
      if (verdict.verdict === 'violated') this.failed.add(name);
    }
  }
}

/** One step: cranks, the fault, the restart(s) and every verdict. True when the run ends here. */
async function runStep(system: System, step: Step, judge: Judge, stats: RunStats, log: StepLog[], disk: CheckDisk, options: ExecuteOptions, checks: HistoryJudge): Promise<boolean> {
  const fault: Fault = step.fault;
  const faults = system.store.faults;
  if (faults === null) throw new Error('the checked store has no fault layer');
  if (fault.kind === 'write') faults.failWrite(fault.nth);
  let ran = 0;
  let writeFailed = false;
  // A refused input takes a turn of the step as a crank would, so the loop stays bounded by `cranks`.
  for (let turn = 0; turn < step.cranks; turn++) {
    try {
      if ((await system.step()) === null) break;
      ran++;
    } catch (err) {
      if (fault.kind === 'write' && err instanceof StoreError && err.code === 'write_failed') {
        writeFailed = true;
        // The crank ran; whether its writes landed depends on which write failed (under `both`,
        // a checkpoint's write fails after the crank's commit did). Either boundary may be on disk.
        judge.boundary(system.kernel, system.now, false, system.allocator.highestIssued);
        break;
      }
      // A kernel error out of step() is the host's input refused: sent to an endpoint whose process
      // is gone (terminated, its records deleted) or a full queue. No crank ran and the system is
      // whole; the next turn feeds the next input.
      if (err instanceof KernelError || err instanceof KernelUsageError) {
        stats.refusedInputs++;
        continue;
      }
      throw err;
    }
    judge.boundary(system.kernel, system.now, faults.unsyncedBatches === 0, system.allocator.highestIssued);
  }
  stats.cranks += ran;
  stats.faults[fault.kind]++;
  judge.live(system.kernel);
  const traceHash = system.kernel.trace.hash;
  let lossAt: { cranks: number; unsyncedBatches: number } | null = null;
  if (fault.kind === 'checkpoint') {
    const unsynced = faults.unsyncedBatches;
    // With fewer batches than `afterBatches` the checkpoint completes and the power goes after it.
    const written = await system.checkpoint({ interruptAfterBatches: fault.afterBatches });
    if (!written.complete) lossAt = { cranks: system.now, unsyncedBatches: unsynced };
    else judge.boundary(system.kernel, system.now, faults.unsyncedBatches === 0, system.allocator.highestIssued);
  }
  const { cranks: clock, unsyncedBatches } = lossAt ?? (await system.powerLoss({ keepBatches: fault.keepBatches }));
  stats.powerLosses++;

  let damagedRecord: string | null = null;
  if (fault.kind === 'damage') damagedRecord = await disk.damage(fault.record, fault.byte, fault.mask);
  await judge.cut(disk.location);

  // A power loss during the restart: an interrupted boot of the same disk first.
  let interrupted: string | null = null;
  if (fault.kind === 'restart' && fault.stage !== 'after') {
    interrupted = await interruptedBoot(system, disk, fault.stage, judge);
    stats.powerLosses++;
  }
  let report = await system.restart();
  stats.restarts++;
  judge.verdicts(report.invariants);
  judge.restarted(system.kernel, report, system.now, system.allocator.highestIssued);
  if (interrupted !== null) judge.verdict(JUDGE_INVARIANTS.idempotence, sameSystem(interrupted, system.fingerprint()));
  if (fault.kind === 'restart' && fault.stage === 'after') {
    // The finished restart committed what the inits did (a storage object's version moves even
    // when an init writes what was there): compare what the database must hold, not versions.
    const before = persistentText(system);
    await system.powerLoss();
    stats.powerLosses++;
    report = await system.restart();
    stats.restarts++;
    judge.verdicts(report.invariants);
    judge.restarted(system.kernel, report, system.now, system.allocator.highestIssued);
    judge.verdict(JUDGE_INVARIANTS.idempotence, sameSystem(before, persistentText(system)));
  }
  if (fault.kind === 'damage') judge.verdict(JUDGE_INVARIANTS.damage, damageReported(damagedRecord, report));
  for (const [name, check] of Object.entries(options.appChecks ?? {})) judge.verdict(name, (await check(system, report, system.clients.history)) ?? 'ok');
  // A damaged record legitimately loses what it held: the history is not held to it.
  if (fault.kind !== 'damage') await checks.judge(system);
  log.push({
    cranks: ran,
    clock,
    unsyncedBatches,
    writeFailed,
    lostCranks: report.lostCranks,
    quarantined: report.quarantined.map((q) => `${q.record}: ${q.reason}`),
    traceHash,
    fingerprint: system.fingerprint(),
  });
  // A damaged record stays damaged; what the system does with it next is the application's.
  return fault.kind === 'damage';
}

/**
 * Boots the power-lost disk as the restart would, and pulls the power again: before the inits'
 * changes are committed ('boot'), or with them written but not synced ('commit'). Returns the
 * interrupted boot's fingerprint, which the next restart must reproduce (I8). The boot is one
 * more life of the same machine, so it runs the System's own variant, if it has one.
 */
async function interruptedBoot(system: System, disk: CheckDisk, stage: 'boot' | 'commit', judge: Judge): Promise<string> {
  const o = system.options;
  const idVariant = system.variant?.ids ?? null;
  const store = await openLocation(disk.location, false, o.groupCommit);
  // A driver of its own: this boot must not change what the System's driver remembers.
  const result = await system.persistence.driver().boot(store, { programs: o.spec.programs, seed: o.seed, schedule: o.schedule, trace: o.trace, limits: o.limits, keepRecords: false, idVariant });
  const fingerprint = systemFingerprint(result.kernel, result.firstFreshId);
  // Under a model that writes no records a boot's commit writes nothing the next boot reads: 'commit' is 'boot'.
  if (stage === 'commit' && system.persistence.writesRecords === true) {
    const tx = store.begin();
    writeChanges(result.kernel, result.kernel.takeChanges(), result.book, tx, () => result.allocator.next(), system.variant?.commit ?? null);
    await store.commit(tx, { sync: false });
  }
  // IDs the interrupted boot handed out count as issued: the next boot must not reuse them.
  judge.issued = Math.max(judge.issued, result.allocator.highestIssued);
  store.faults?.powerLoss({ keepBatches: 0 });
  return fingerprint;
}

function sameSystem(before: string, after: string): string {
  if (before === after) return 'ok';
  const clip = (t: string): string => (t.length > 200 ? `${t.slice(0, 197)}...` : t);
  return `the restart after a power loss during a restart gave ${clip(after)}, the interrupted one ${clip(before)}`;
}

/** The persistent projection and each process's status, as one text. */
function persistentText(system: System): string {
  const statuses = [...system.kernel.processes()].map((p) => `p${p.id} ${p.status}`).sort();
  return [...[...projectKernel(system.kernel).records].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k} ${v}`), ...statuses].join('; ');
}

function damageReported(record: string | null, report: RestartReport): string {
  if (record === null) return 'ok';
  if (report.quarantined.some((q) => q.record === record)) return 'ok';
  return `${record} was damaged, but the restart report does not name it (quarantined: ${report.quarantined.map((q) => q.record).join(', ') || 'nothing'})`;
}
