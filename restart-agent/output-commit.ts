/**
 * Output commit (the output-commit problem of rollback recovery): an answer that leaves the
 * machine is a promise the system cannot take back, so it may leave only once the work it
 * reports would survive a power loss. The persistence model says when that is:
 *   - explicit: once every commit up to the crank that produced it is synced;
 *   - checkpoint and both: once a checkpoint taken at or after that crank is durable (as KeyKOS
 *     and EROS held output until the next checkpoint) — under `both` the explicit commits alone
 *     do not bring back a process's state, the checkpoint does.
 * Held answers leave in the order they were produced. `unsafe` lets every answer leave at once,
 * so that an experiment can show what that costs: a client told ok for work a power loss undid.
 *
 * Invariant I13: no released answer reports work past the crank a restart resumed at.
 */

/** When answers may leave the machine: 'safe' (held until durable, the default) or 'unsafe' (at once). */
export type OutputRelease = 'safe' | 'unsafe';

export const OUTPUT_RELEASES: readonly OutputRelease[] = ['safe', 'unsafe'];

export interface HeldAnswer<T> {
  /** The crank (the System's clock) that produced the answer. */
  producedAt: number;
  answer: T;
}

/** Answers waiting to leave the machine, oldest first. */
export class OutputGate<T> {
  private held: HeldAnswer<T>[] = [];
  /** The newest crank whose answer has left the machine (0: none yet). */
  releasedThrough = 0;

  constructor(readonly release: OutputRelease) {}

  get holding(): number {
    return this.held.length;
  }

  /** An answer produced at `producedAt`; under 'unsafe' it is returned at once to leave. */
  hold(producedAt: number, answer: T): HeldAnswer<T>[] {
    this.held.push({ producedAt, answer });
    return this.release === 'unsafe' ? this.releaseThrough(Number.MAX_SAFE_INTEGER) : [];
  }

  /** Everything produced at or before `durableThrough`, in order: it may leave now. */
  releaseThrough(durableThrough: number): HeldAnswer<T>[] {
    let n = 0;
    while (n < this.held.length && (this.held[n] as HeldAnswer<T>).producedAt <= durableThrough) n++;
    if (n === 0) return [];
    const out = this.held.slice(0, n);
    this.held = this.held.slice(n);
    for (const h of out) this.releasedThrough = Math.max(this.releasedThrough, h.producedAt);
    return out;
  }

  /** The power went: what was held never left the machine. */
  drop(): void {
    this.held = [];
  }
}

/** I13: the verdict for a restart that resumed the system as of crank `restoredCrank` (null: unknown). */
export function judgeOutputCommit(releasedThrough: number, restoredCrank: number | null, release: OutputRelease): string {
  if (restoredCrank === null) return 'not checked: the crank the restart resumed at is unknown (see I1)';
  if (releasedThrough <= restoredCrank) return 'ok';
  const why = release === 'unsafe' ? ' (answers are released unsafely, at once)' : '';
  return `a client was told of crank ${releasedThrough}'s work, but the restart resumed the system as of crank ${restoredCrank}${why}`;
}
