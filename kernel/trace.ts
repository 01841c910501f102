/**
 * The trace: every crank and every syscall as a structured event, readable by people and as
 * JSON lines, and a running hash of all of them so that a determinism check is one comparison.
 *
 * Modes: 'off' records nothing (benchmarks); 'hash' keeps only the hash; 'full' also keeps the
 * last `keep_max` events in a ring and hands each to an optional sink (a file, a test).
 */
import type { ObjectId } from './ids.ts';

export type TraceMode = 'off' | 'hash' | 'full';

export type TraceEvent =
  | { crank: number; ev: 'crank'; pid: ObjectId; program: string; msg: string; badge: number; from: ObjectId }
  | { crank: number; ev: 'send' | 'call' | 'reply'; pid: ObjectId; to: ObjectId; endpoint: ObjectId; badge: number; caps: number }
  | { crank: number; ev: 'cap'; pid: ObjectId; op: string; slot: number; to: number; rights: string; badge: number }
  | { crank: number; ev: 'revoke'; pid: ObjectId; slot: number; removed: number }
  | { crank: number; ev: 'error'; pid: ObjectId; syscall: string; code: string }
  | { crank: number; ev: 'fault'; pid: ObjectId; error: string }
  | { crank: number; ev: 'spawn' | 'start' | 'restart' | 'exit'; pid: ObjectId; program: string }
  | { crank: number; ev: 'drop'; pid: ObjectId; reason: string; count: number }
  | { crank: number; ev: 'throttle' | 'unthrottle'; pid: ObjectId; debt: number }
  | { crank: number; ev: 'note'; pid: ObjectId; text: string }
  /** A sturdy reference made, resolved or revoked: named by its id only, never its secret. */
  | { crank: number; ev: 'sturdy'; pid: ObjectId; op: 'make' | 'restore' | 'unsturdy'; token: number; slot: number };

export type TraceSink = (event: TraceEvent, line: string) => void;

const FNV_PRIME = 0x01000193;
const FNV_PRIME_2 = 0x01000197;
/** Tags mixed in before each value and after each event; outside the range of a UTF-16 unit. */
const TAG_INT = 0x10001;
const TAG_TEXT = 0x10002;
const TAG_END = 0x10003;

export class Trace {
  readonly mode: TraceMode;
  /** Whether events are recorded at all: read on every crank and send, so kept as a field. */
  readonly enabled: boolean;
  sink: TraceSink | null = null;
  private ring: TraceEvent[] = [];
  private ringHead = 0;
  private count = 0;
  private h1 = 0x811c9dc5;
  private h2 = 0x6a09e667;

  constructor(
    mode: TraceMode,
    private readonly keepMax: number = 10_000,
  ) {
    this.mode = mode;
    this.enabled = mode !== 'off';
  }

  /** Events recorded since the start (or since the state this trace was restored from). */
  get total(): number {
    return this.count;
  }

  record(event: TraceEvent): void {
    // The hash reads the event's values in order, not its JSON: encoding every event as text
    // cost a third of a traced kernel's time. Each value is tagged by its type and each event
    // ends with a separator, so two different event sequences never feed the same words.
    let h1 = this.h1;
    let h2 = this.h2;
    for (const key in event) {
      const value = (event as Record<string, unknown>)[key];
      if (typeof value === 'number' && (value | 0) === value) {
        h1 = Math.imul(h1 ^ TAG_INT, FNV_PRIME);
        h2 = Math.imul(h2 ^ TAG_INT, FNV_PRIME_2);
        h1 = Math.imul(h1 ^ value, FNV_PRIME);
        h2 = Math.imul(h2 ^ value, FNV_PRIME_2);
      } else {
        const text = typeof value === 'string' ? value : String(value);
        h1 = Math.imul(h1 ^ TAG_TEXT, FNV_PRIME);
        h2 = Math.imul(h2 ^ TAG_TEXT, FNV_PRIME_2);
        h1 = Math.imul(h1 ^ text.length, FNV_PRIME);
        h2 = Math.imul(h2 ^ text.length, FNV_PRIME_2);
        for (let i = 0; i < text.length; i++) {
          const c = text.charCodeAt(i);
          h1 = Math.imul(h1 ^ c, FNV_PRIME);
          h2 = Math.imul(h2 ^ c, FNV_PRIME_2);
        }
      }
    }
    this.h1 = Math.imul(h1 ^ TAG_END, FNV_PRIME) >>> 0;
    this.h2 = Math.imul(h2 ^ TAG_END, FNV_PRIME_2) >>> 0;
    this.count++;
    if (this.mode !== 'full') return;
    if (this.ring.length < this.keepMax) this.ring.push(event);
    else {
      this.ring[this.ringHead] = event;
      this.ringHead = (this.ringHead + 1) % this.keepMax;
    }
    if (this.sink) this.sink(event, JSON.stringify(event));
  }

  /** The running hash of every event so far, as 16 hex digits. */
  get hash(): string {
    return this.h1.toString(16).padStart(8, '0') + this.h2.toString(16).padStart(8, '0');
  }

  /** The kept events, oldest first. */
  events(): TraceEvent[] {
    return this.ring.slice(this.ringHead).concat(this.ring.slice(0, this.ringHead));
  }

  getState(): { hash: [number, number]; count: number } {
    return { hash: [this.h1, this.h2], count: this.count };
  }

  setState(state: { hash: readonly number[]; count: number }): void {
    this.h1 = (state.hash[0] ?? 0) >>> 0;
    this.h2 = (state.hash[1] ?? 0) >>> 0;
    this.count = state.count;
    this.ring = [];
    this.ringHead = 0;
  }
}

/** One event as a line a person reads. */
export function formatEvent(e: TraceEvent): string {
  const at = `#${String(e.crank).padStart(5)}`;
  switch (e.ev) {
    case 'crank':
      return `${at} p${e.pid} ${e.program} <- ${e.msg}${e.badge ? ` badge ${e.badge}` : ''}${e.from ? ` from p${e.from}` : ''}`;
    case 'send':
    case 'call':
    case 'reply':
      // A reply goes to the caller directly, through no endpoint.
      // To 0: a client outside the machine (a host call).
      return `${at}   ${e.ev} p${e.pid} -> ${e.to === 0 ? 'a client outside' : `p${e.to}`}${e.endpoint ? ` via e${e.endpoint}` : ''}${e.badge ? ` badge ${e.badge}` : ''}${e.caps ? ` +${e.caps} cap(s)` : ''}`;
    case 'cap':
      return `${at}   p${e.pid} ${e.op} slot ${e.slot}${e.to >= 0 ? ` -> ${e.to}` : ''} [${e.rights}${e.badge ? ` badge ${e.badge}` : ''}]`;
    case 'revoke':
      return `${at}   p${e.pid} revoke slot ${e.slot}: ${e.removed} derived capabilities removed`;
    case 'error':
      return `${at}   p${e.pid} ${e.syscall} failed: ${e.code}`;
    case 'fault':
      return `${at} p${e.pid} FAULT ${e.error}`;
    case 'drop':
      return `${at}   dropped ${e.count} message(s) for p${e.pid}: ${e.reason}`;
    case 'throttle':
    case 'unthrottle':
      return `${at}   p${e.pid} ${e.ev}d (debt ${e.debt})`;
    case 'sturdy':
      return `${at}   p${e.pid} ${e.op === 'make' ? `makes sturdy reference ${e.token} from slot ${e.slot}` : e.op === 'restore' ? `restores sturdy reference ${e.token} into slot ${e.slot}` : `revokes sturdy reference ${e.token}`}`;
    case 'note':
      // pid 0: the host's note (an answer leaving the machine).
      return e.pid === 0 ? `${at}   host: ${e.text}` : `${at}   p${e.pid} says: ${e.text}`;
    default:
      return `${at} ${e.ev} p${e.pid} ${e.program}`;
  }
}
