/**
 * The invariant judge of one run. It watches the system at every crank boundary (the
 * persistent projection, the IDs issued) and, at every fault, hands down verdicts: the restart
 * report's own (I1-I6), and its own checks that trust neither the commit path nor the observer:
 *
 *   I1/I2 crank cut  with the power off, the disk equals the system at a crank boundary at or
 *                    after the last sync (a synced crank is there; no crank is there in part);
 *   I4 live          rights only diminish along derivations, on the running kernel;
 *   I6 fresh IDs     every object a boot creates has an ID above every one issued before;
 *   I8               a power loss during a restart, then a restart: the same system;
 *   I9               the same schedule run twice gives the same trace hashes;
 *   I11, I12         isolation (structural) and bounded resources, on the running kernel;
 *   damage reported  a damaged record is quarantined and named in the report, not a crash.
 */
import type { Kernel, ObjectId } from '../../kernel/index.ts';
import { checkNoAmplification, type InvariantVerdicts, type PersistenceModel, type RestartReport } from '../../restart-agent/index.ts';
import { projectDisk, projectionDiff, projectKernel, type Projection } from './projection.ts';
import type { StoreLocation } from '../../restart-agent/index.ts';
import { checkBounds, checkFreshIds, checkIsolation } from './structural.ts';
import type { HistoryEntry } from '../../restart-agent/index.ts';
import type { Verdict } from '../testing/checkers/index.ts';

export interface Violation {
  invariant: string;
  detail: string;
  /** The step (1-based) whose fault or restart showed it; 0 for the system's creation. */
  step: number;
  /** For a history checker: the smallest piece of the clients' history that shows it. */
  excerpt?: HistoryEntry[];
}

/** The names of the judge's own verdicts, as they appear in a summary. */
export const JUDGE_INVARIANTS = {
  cut: 'I1/I2 crank cut',
  amplification: 'I4 no amplification (live)',
  freshIds: 'I6 fresh IDs',
  idempotence: 'I8 restart idempotence',
  determinism: 'I9 determinism',
  isolation: 'I11 isolation (structural)',
  bounds: 'I12 bounded resources',
  damage: 'damage reported',
} as const;

interface Boundary {
  crank: number;
  projection: Projection;
  text: string;
}

export class Judge {
  /**
   * The crank cut judges the explicit records. Under a model that writes none (checkpoint,
   * transcript) there are none; under one that also takes checkpoints (both), a restart resumes at a checkpoint and registrations are rewritten only as they change,
   * so the records are a cut of the system only until the first restart.
   */
  private cutApplies: boolean;
  readonly violations: Violation[] = [];
  /** Verdicts handed down, by invariant name. */
  readonly checked = new Map<string, number>();
  /** History checkers that could not decide within their bound, by name. */
  readonly undecided = new Map<string, number>();
  step = 0;
  /** The persistent state at each crank boundary since the last sync, oldest (the synced one) first. */
  private window: Boundary[] = [];
  /** The highest ID issued by any boot or crank so far. */
  issued: ObjectId = 0;

  constructor(readonly model: PersistenceModel) {
    this.cutApplies = model.writesRecords === true;
  }

  /** One verdict: 'ok' or a problem sentence ('not checked…' counts as neither). */
  verdict(invariant: string, verdict: string): void {
    if (verdict.startsWith('not checked')) return;
    this.checked.set(invariant, (this.checked.get(invariant) ?? 0) + 1);
    if (verdict !== 'ok') this.violations.push({ invariant, detail: verdict, step: this.step });
  }

  /** A history checker's verdict; 'unknown' (too large to decide) is counted apart, as neither. */
  history(name: string, v: Verdict): void {
    if (v.verdict === 'unknown') {
      this.undecided.set(name, (this.undecided.get(name) ?? 0) + 1);
      return;
    }
    this.checked.set(name, (this.checked.get(name) ?? 0) + 1);
    if (v.verdict === 'violated') this.violations.push({ invariant: name, detail: v.problem, step: this.step, excerpt: v.excerpt });
  }

  verdicts(all: InvariantVerdicts): void {
    for (const [name, verdict] of Object.entries(all)) this.verdict(name, verdict);
  }

  /** After a crank and its commit; `synced` when nothing is left in the volatile buffer. */
  boundary(kernel: Kernel, crank: number, synced: boolean, issued: ObjectId): void {
    this.issued = Math.max(this.issued, issued);
    const projection = projectKernel(kernel);
    const text = [...projection.records].sort(([a], [b]) => (a < b ? -1 : 1)).join('\n');
    const last = this.window[this.window.length - 1];
    if (synced) this.window = [{ crank, projection, text }];
    else if (last === undefined || last.text !== text) this.window.push({ crank, projection, text });
  }

  /** I4, I11 and I12 on the running kernel, before the power goes. */
  live(kernel: Kernel): void {
    this.verdict(JUDGE_INVARIANTS.amplification, checkNoAmplification(kernel));
    this.verdict(JUDGE_INVARIANTS.isolation, checkIsolation(kernel));
    this.verdict(JUDGE_INVARIANTS.bounds, checkBounds(kernel));
  }

  /** With the power off: the disk must equal one boundary of the window. Returns the damaged keys found. */
  async cut(location: StoreLocation): Promise<Set<string>> {
    if (!this.cutApplies) return new Set();
    const { projection, damaged } = await projectDisk(location);
    const match = this.window.findIndex((b) => projectionDiff(b.projection, projection, damaged) === null);
    const first = this.window[0];
    if (match >= 0 || first === undefined) {
      this.verdict(JUDGE_INVARIANTS.cut, 'ok');
      return damaged;
    }
    const last = this.window[this.window.length - 1] as Boundary;
    const span = first.crank === last.crank ? `crank ${first.crank}` : `any crank from ${first.crank} (the last sync) to ${last.crank}`;
    this.verdict(JUDGE_INVARIANTS.cut, `the disk is not the system at ${span}: against crank ${first.crank}, ${projectionDiff(first.projection, projection, damaged)}`);
    return damaged;
  }

  /** After a restart: fresh IDs, and the restarted system becomes the new synced boundary. */
  restarted(kernel: Kernel, report: RestartReport, crank: number, issued: ObjectId): void {
    this.verdict(JUDGE_INVARIANTS.freshIds, checkFreshIds(report, this.issued));
    if (this.model.checkpoints) this.cutApplies = false;
    this.window = [];
    this.boundary(kernel, crank, true, issued);
  }
}
