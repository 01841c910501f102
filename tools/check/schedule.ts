/**
 * A schedule: everything one run of the crash explorer does, as plain data. The workload (the
 * system's seed, its scheduling mode, its external inputs) and every fault are fields of it,
 * never drawn from a side random source, so that fast-check can shrink a failing schedule to a
 * minimal one and a schedule printed as JSON replays exactly.
 */

/** Where the power goes (or what else goes wrong) at the end of a step. */
export type Fault =
  /** Power loss at a crank boundary: unsynced batches dropped but for the first `keepBatches`. */
  | { kind: 'power'; keepBatches: number }
  /** The `nth` store write from the start of the step fails (a full disk); the power goes then. */
  | { kind: 'write'; nth: number; keepBatches: number }
  /**
   * Power loss, then another during the restart: 'boot' before the inits' changes are
   * committed, 'commit' with them written but unsynced, 'after' right after a finished restart.
   * Then a restart that must give the same system (I8).
   */
  | { kind: 'restart'; stage: 'boot' | 'commit' | 'after'; keepBatches: number }
  /** Power loss, then one stored value damaged (a bad sector) before the restart. Ends the run. */
  | { kind: 'damage'; record: number; byte: number; mask: number; keepBatches: number }
  /**
   * Checkpoint models only: a checkpoint is written and the power goes after `afterBatches` of
   * its store batches (all of them: right after it; `keepBatches` then applies as usual).
   */
  | { kind: 'checkpoint'; afterBatches: number; keepBatches: number };

export type FaultKind = Fault['kind'];

export const FAULT_KINDS: readonly FaultKind[] = ['power', 'write', 'restart', 'damage', 'checkpoint'];

/**
 * The fault kinds that apply under a persistence model: checkpoint faults need checkpoints. A
 * model is given by its name (a built-in's: every one but explicit takes checkpoints) or itself.
 */
export function faultKindsFor(model: string | { checkpoints: boolean }): FaultKind[] {
  const checkpoints = typeof model === 'string' ? model !== 'explicit' : model.checkpoints;
  return FAULT_KINDS.filter((k) => k !== 'checkpoint' || checkpoints);
}

/** Run up to `cranks` cranks (fewer if the system goes idle with no input left), then the fault. */
export interface Step {
  cranks: number;
  fault: Fault;
}

export interface Schedule {
  /** The system's seed: scheduling choices of 'seeded' mode, the kernel's generator. */
  seed: number;
  schedule: 'fifo' | 'seeded';
  /** Every Nth commit is synced; the others wait in the volatile buffer. */
  syncEvery: number;
  /** Checkpoint models: cranks between automatic checkpoints (0: only those a fault writes). Absent under explicit. */
  checkpointEvery?: number;
  /** Indices into the system's input vocabulary, fed in order; null: the description's own inputs. */
  inputs: number[] | null;
  /**
   * Per client of the description, in order: its operations as indices into that client's
   * vocabulary. Null or absent: the description's own operations.
   */
  clients?: number[][] | null;
  steps: Step[];
  /** Run the whole schedule a second time and compare every trace hash (I9). */
  repeat: boolean;
}

/** One fault as a person reads it. */
export function describeFault(f: Fault): string {
  const keep = `keeping ${f.keepBatches} unsynced batch(es)`;
  switch (f.kind) {
    case 'power':
      return `power loss ${keep}`;
    case 'write':
      return `store write #${f.nth} of the step fails, then power loss ${keep}`;
    case 'restart':
      return `power loss ${keep}, then another ${f.stage === 'boot' ? 'during the restart, before the inits’ commit' : f.stage === 'commit' ? 'during the restart, with the inits’ commit unsynced' : 'right after the restart'}`;
    case 'damage':
      return `power loss ${keep}, then stored value #${f.record} damaged (byte ${f.byte} xor ${f.mask})`;
    case 'checkpoint':
      return `a checkpoint is written and the power goes after ${f.afterBatches} of its batch(es) (then ${keep})`;
  }
}

/** The schedule's setting on one line. */
export function describeSetting(s: Schedule, vocabulary: readonly string[], clients: readonly { name: string; labels: readonly string[] }[] = []): string {
  const inputs = s.inputs === null ? 'the description’s own' : s.inputs.length === 0 ? 'none' : s.inputs.map((i) => vocabulary[i] ?? `#${i}`).join(', ');
  const ops =
    clients.length === 0
      ? ''
      : s.clients === null || s.clients === undefined
        ? '; clients: the description’s own operations'
        : `; clients: ${clients.map((c, n) => `${c.name} ${(s.clients?.[n] ?? []).map((i) => c.labels[i] ?? `#${i}`).join(', ') || 'no operations'}`).join('; ')}`;
  const checkpoints = s.checkpointEvery === undefined ? '' : s.checkpointEvery === 0 ? ', checkpoints only by faults' : `, a checkpoint every ${s.checkpointEvery} crank(s)`;
  return `system seed ${s.seed}, ${s.schedule} scheduling, sync every ${s.syncEvery} commit(s)${checkpoints}${s.repeat ? ', run twice (I9)' : ''}; inputs: ${inputs}${ops}`;
}
