/**
 * The messages between processes over time, as a space-time diagram draws them (one lane per
 * process, as ShiViz does): each delivery is an arrow from the position its sender sent it to
 * the position it was handled, matched first-in first-out per sender and receiver; an input
 * from outside starts at no lane; a message a power loss dropped ends nowhere. Faults,
 * restarts and starts of processes are marks on their lane.
 */
import type { ObjectId, TraceEvent } from '../../kernel/index.ts';

export interface Arrow {
  /** The sender's pid, 0 for an input from outside. */
  from: ObjectId;
  to: ObjectId;
  kind: string;
  sent: number;
  /** The position it was handled at; null when a power loss dropped it first. */
  at: number | null;
}

export interface Mark {
  pos: number;
  pid: ObjectId;
  kind: 'fault' | 'restart' | 'start' | 'exit';
  text: string;
}

export interface Lane {
  pid: ObjectId;
  program: string;
}

/** A window of the diagram, as the page draws it. */
export interface SpacetimeWindow {
  from: number;
  to: number;
  lanes: Lane[];
  arrows: Arrow[];
  marks: Mark[];
  /** Positions of power losses in the window. */
  powerLosses: number[];
}

/**
 * How far before a window an arrow's send is looked for: a message that waited longer in a
 * queue than this many positions is not drawn (the search stays bounded on long runs).
 */
export const SENT_LOOKBACK_MAX = 2000;

/** The first index of `items` whose key is at least `key` (items sorted by key). */
export function lowerBound<T>(items: readonly T[], key: number, keyOf: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keyOf(items[mid] as T) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Messages one sender has in flight to one receiver, before the oldest are counted as lost. */
const IN_FLIGHT_PER_PAIR_MAX = 10_000;

export class MessageLog {
  readonly arrows: Arrow[] = [];
  readonly marks: Mark[] = [];
  readonly lanes = new Map<ObjectId, string>();
  readonly powerLosses: number[] = [];
  private readonly inFlight = new Map<string, Arrow[]>();

  note(e: TraceEvent, pos: number): void {
    switch (e.ev) {
      case 'send':
      case 'call':
      case 'reply': {
        const arrow: Arrow = { from: e.pid, to: e.to, kind: e.ev, sent: pos, at: null };
        this.arrows.push(arrow);
        const key = `${e.pid}>${e.to}`;
        const queue = this.inFlight.get(key) ?? [];
        if (queue.length >= IN_FLIGHT_PER_PAIR_MAX) queue.shift();
        queue.push(arrow);
        this.inFlight.set(key, queue);
        return;
      }
      case 'crank': {
        this.lanes.set(e.pid, e.program);
        if (e.msg === 'init') return;
        const pending = e.from ? this.inFlight.get(`${e.from}>${e.pid}`)?.shift() : undefined;
        if (pending !== undefined) pending.at = pos;
        else this.arrows.push({ from: e.from, to: e.pid, kind: e.from ? e.msg : 'input', sent: pos, at: pos });
        return;
      }
      case 'fault':
        this.marks.push({ pos, pid: e.pid, kind: 'fault', text: e.error });
        return;
      case 'restart':
      case 'start':
      case 'exit':
        this.lanes.set(e.pid, e.program);
        this.marks.push({ pos, pid: e.pid, kind: e.ev, text: `${e.ev} p${e.pid} ${e.program}` });
        return;
      default:
        return;
    }
  }

  /** Everything in flight is gone with the power. */
  powerLoss(pos: number): void {
    this.inFlight.clear();
    this.powerLosses.push(pos);
  }

  /** The arrows and marks that touch positions [from, to]; arrows and marks are kept in the order of their first position. */
  window(from: number, to: number): SpacetimeWindow {
    const arrows: Arrow[] = [];
    for (let i = lowerBound(this.arrows, from - SENT_LOOKBACK_MAX, (a) => a.sent); i < this.arrows.length; i++) {
      const a = this.arrows[i] as Arrow;
      if (a.sent > to) break;
      if (a.at === null ? a.sent >= from : a.at >= from) arrows.push(a);
    }
    const marks: Mark[] = [];
    for (let i = lowerBound(this.marks, from, (m) => m.pos); i < this.marks.length && (this.marks[i] as Mark).pos <= to; i++) marks.push(this.marks[i] as Mark);
    const pids = new Set<ObjectId>();
    for (const a of arrows) {
      if (a.from) pids.add(a.from);
      pids.add(a.to);
    }
    for (const m of marks) pids.add(m.pid);
    const lanes = [...pids].sort((a, b) => a - b).map((pid) => ({ pid, program: this.lanes.get(pid) ?? '?' }));
    return { from, to, lanes, arrows, marks, powerLosses: this.powerLosses.filter((p) => p >= from && p <= to) };
  }
}
