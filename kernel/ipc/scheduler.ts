/**
 * The scheduler picks the next process to run one crank. 'fifo' serves ready processes round
 * robin in the order they became ready; 'seeded' picks uniformly among them with the kernel's
 * seeded generator, which explores interleavings while staying replayable from the seed.
 *
 * Flow control (as Syndicate's accounts): a process whose account owes more than its limit is
 * set aside, not run, until its debt falls. If nothing else can run, the longest-waiting
 * throttled process runs anyway: debt is only repaid by running, so this keeps a self-loop from
 * deadlocking while endpoint bounds still cap memory.
 */
import type { Process } from '../objects/process.ts';
import type { Rng } from '../rng.ts';

export type ScheduleMode = 'fifo' | 'seeded';

export class Scheduler {
  /**
   * Ready processes, in ready[readyHead..readyTail), kept as the inbox keeps messages: both
   * indices go back to 0 when it empties (every crank, in a relay), so a crank allocates nothing
   * here; the live part moves to the front when the dead prefix outgrows it.
   */
  private ready: (Process | undefined)[] = [];
  private readyHead = 0;
  private readyTail = 0;
  readonly throttled = new Set<Process>();

  constructor(
    readonly mode: ScheduleMode,
    private readonly rng: Rng,
    private readonly debtMax: number,
  ) {}

  /** Call whenever `p` may have become runnable. */
  notify(p: Process): void {
    if (p.scheduled || !p.runnable) return;
    p.scheduled = true;
    this.pushReady(p);
  }

  /** When `p`'s debt fell: a throttled process within its limit goes back to ready. */
  repaid(p: Process): boolean {
    // Most processes are never throttled: a Set delete on every crank showed in profiles.
    if (p.debt > this.debtMax || this.throttled.size === 0 || !this.throttled.delete(p)) return false;
    this.pushReady(p);
    return true;
  }

  private pushReady(p: Process): void {
    if (this.readyTail < this.ready.length) this.ready[this.readyTail] = p;
    else this.ready.push(p);
    this.readyTail++;
  }

  /** The next process to run, or null when nothing is runnable. */
  next(onThrottle: (p: Process) => void): Process | null {
    for (let guard = this.readyTail - this.readyHead; guard > 0; guard--) {
      const p = this.take();
      if (p === null) break;
      if (!p.runnable) {
        p.scheduled = false;
        continue;
      }
      if (p.debt > this.debtMax) {
        this.throttled.add(p);
        onThrottle(p);
        continue;
      }
      p.scheduled = false;
      return p;
    }
    for (const p of this.throttled) {
      this.throttled.delete(p);
      p.scheduled = false;
      if (p.runnable) return p;
    }
    return null;
  }

  private take(): Process | null {
    const n = this.readyTail - this.readyHead;
    if (n <= 0) return null;
    let p: Process;
    if (this.mode === 'fifo') {
      p = this.ready[this.readyHead] as Process;
    } else {
      const i = this.readyHead + this.rng.below(n);
      p = this.ready[i] as Process;
      this.ready[i] = this.ready[this.readyHead] as Process;
    }
    this.ready[this.readyHead] = undefined;
    this.readyHead++;
    if (this.readyHead === this.readyTail) {
      this.readyHead = 0;
      this.readyTail = 0;
    } else if (this.readyHead > 64 && this.readyHead * 2 > this.readyTail) {
      this.ready = this.ready.slice(this.readyHead, this.readyTail);
      this.readyTail -= this.readyHead;
      this.readyHead = 0;
    }
    return p;
  }

  /** Ready then throttled processes, in order, for export. */
  order(): { ready: Process[]; throttled: Process[] } {
    return { ready: this.ready.slice(this.readyHead, this.readyTail) as Process[], throttled: [...this.throttled] };
  }

  restore(ready: Process[], throttled: Process[]): void {
    this.ready = [...ready];
    this.readyHead = 0;
    this.readyTail = ready.length;
    this.throttled.clear();
    for (const p of ready) p.scheduled = true;
    for (const p of throttled) {
      p.scheduled = true;
      this.throttled.add(p);
    }
  }

  /** Forget a process (terminated or restarted elsewhere); it may come back through notify. */
  remove(p: Process): void {
    this.throttled.delete(p);
    const i = this.ready.indexOf(p, this.readyHead);
    if (i >= 0 && i < this.readyTail) {
      this.ready.splice(i, 1);
      this.readyTail--;
    }
    p.scheduled = false;
  }
}
