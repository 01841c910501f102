/**
 * Linearizability of a client history against a sequential model: a checker of the Wing–Gong
 * family, with Lowe's memoisation (as Porcupine implements it). Every operation must appear to
 * take effect at one instant between its invoke and its answer, in an order the model accepts.
 *
 * The search walks the history's calls and answers as a linked list: at a call it tries to
 * linearize that operation now (the model's answer must equal what the client was told), lifts
 * it out of the list and starts again from the head; at an answer whose operation is still not
 * linearized it backtracks. A cache of (linearized set, model state) prunes every state the
 * search has been in before. Operations without a definite answer widen the search:
 *   - indeterminate or pending (no answer): may take effect at any time after the invoke, with
 *     any result, or never;
 *   - fail (the kernel answered with an error): may have taken effect before the error, or not.
 * When the model gives `key`, each key's operations are judged apart (P-compositionality).
 *
 * Every search is bounded (`stepsMax`): past it, the verdict is 'unknown' ("too large to
 * decide"), never a hang. A violation comes with the smallest prefix of that key's history that
 * is already not linearizable: its last entry is the answer nothing can explain.
 */
import { operationsOf, type History, type HistoryEntry, type HistoryOp } from '../../../restart-agent/history.ts';
import { sameValue, stateKey, type HistoryCheck, type SequentialModel, type Verdict } from './verdict.ts';

/** Search steps per key before the verdict is 'unknown'. */
export const LINEARIZABLE_STEPS_MAX = 2_000_000;

export interface LinearizableOptions {
  stepsMax?: number;
}

interface SearchOp {
  op: { op: string; value: unknown };
  /** The answer that must match, or undefined when any answer will do. */
  result: { value: unknown } | undefined;
  /** May never have taken effect (fail, indeterminate, pending). */
  optional: boolean;
}

interface Node {
  kind: 'call' | 'return';
  op: number;
  /** A call's return node (null when the operation has no answer). */
  match: Node | null;
  prev: Node | null;
  next: Node | null;
}

type Outcome = 'ok' | 'violated' | 'unknown';

/** The checker: the whole history, every key apart when the model has keys. */
export function linearizable(model: SequentialModel<any>, options: LinearizableOptions = {}): HistoryCheck {
  return (history) => checkLinearizable(history, model, options);
}

export function checkLinearizable(history: History, model: SequentialModel<any>, options: LinearizableOptions = {}): Verdict {
  const stepsMax = options.stepsMax ?? LINEARIZABLE_STEPS_MAX;
  const ops = operationsOf(history);
  const byKey = new Map<string, HistoryOp[]>();
  for (const o of ops) {
    const key = model.key?.({ op: o.op, value: o.value }) ?? '';
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [o]);
    else list.push(o);
  }
  const undecided: string[] = [];
  for (const [key, keyOps] of [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const outcome = search(keyOps, history.length, model, stepsMax);
    if (outcome === 'unknown') undecided.push(key);
    if (outcome !== 'violated') continue;
    return violation(history, keyOps, key, model, stepsMax);
  }
  if (undecided.length > 0) {
    return { verdict: 'unknown', reason: `too large to decide: more than ${stepsMax} search steps for ${undecided.length} key(s)${undecided[0] !== '' ? ` (${undecided.slice(0, 3).join(', ')})` : ''}` };
  }
  return { verdict: 'ok' };
}

/** The search over one key's operations, the history cut at position `cut` (later answers unknown). */
function search(history: readonly HistoryOp[], cut: number, model: SequentialModel<any>, stepsMax: number): Outcome {
  const ops: SearchOp[] = [];
  const events: { at: number; kind: 'call' | 'return'; op: number }[] = [];
  for (const o of history) {
    if (o.invokedAt >= cut) continue;
    const answered = o.completedAt !== null && o.completedAt < cut;
    const i = ops.length;
    ops.push({ op: { op: o.op, value: o.value }, result: answered && o.outcome === 'ok' ? { value: o.result } : undefined, optional: !(answered && o.outcome === 'ok') });
    events.push({ at: o.invokedAt, kind: 'call', op: i });
    if (answered) events.push({ at: o.completedAt as number, kind: 'return', op: i });
  }
  events.sort((a, b) => a.at - b.at);
  // The linked list of events, with a sentinel head.
  const head: Node = { kind: 'call', op: -1, match: null, prev: null, next: null };
  const calls: Node[] = new Array(ops.length);
  let last = head;
  let returnsLeft = 0;
  for (const e of events) {
    const node: Node = { kind: e.kind, op: e.op, match: null, prev: last, next: null };
    last.next = node;
    last = node;
    if (e.kind === 'call') calls[e.op] = node;
    else {
      (calls[e.op] as Node).match = node;
      returnsLeft++;
    }
  }
  const lift = (call: Node): void => {
    (call.prev as Node).next = call.next;
    if (call.next !== null) call.next.prev = call.prev;
    const ret = call.match;
    if (ret !== null) {
      (ret.prev as Node).next = ret.next;
      if (ret.next !== null) ret.next.prev = ret.prev;
    }
  };
  const unlift = (call: Node): void => {
    const ret = call.match;
    if (ret !== null) {
      (ret.prev as Node).next = ret;
      if (ret.next !== null) ret.next.prev = ret;
    }
    (call.prev as Node).next = call;
    if (call.next !== null) call.next.prev = call;
  };

  const linearized = new Uint8Array(ops.length);
  const seen = new Set<string>();
  const stack: { call: Node; state: unknown; alt: number }[] = [];
  let state: unknown = model.init();
  let entry: Node | null = head.next;
  let alt = 0;
  let steps = 0;
  while (returnsLeft > 0) {
    if (++steps > stepsMax) return 'unknown';
    if (entry === null) return 'violated';
    if (entry.kind === 'call') {
      const call: Node = entry;
      const o = ops[call.op] as SearchOp;
      // Alternatives: 0 takes effect now; 1 (optional operations only) never takes effect.
      let moved = false;
      for (let a = alt; a < (o.optional ? 2 : 1); a++) {
        let next: unknown = state;
        if (a === 0) {
          const [after, expected] = model.step(state, o.op);
          if (o.result !== undefined && !sameValue(expected, o.result.value)) continue;
          next = after;
        }
        linearized[call.op] = 1;
        const key = `${linearizedKey(linearized)}|${stateKey(next)}`;
        if (seen.has(key)) {
          linearized[call.op] = 0;
          continue;
        }
        seen.add(key);
        stack.push({ call, state, alt: a });
        state = next;
        lift(call);
        if (call.match !== null) returnsLeft--;
        entry = head.next;
        alt = 0;
        moved = true;
        break;
      }
      if (!moved) {
        entry = call.next;
        alt = 0;
      }
    } else {
      // An answer whose operation is not linearized yet: undo the last choice and try the next.
      const top = stack.pop();
      if (top === undefined) return 'violated';
      unlift(top.call);
      if (top.call.match !== null) returnsLeft++;
      linearized[top.call.op] = 0;
      state = top.state;
      entry = top.call;
      alt = top.alt + 1;
    }
  }
  return 'ok';
}

function linearizedKey(bits: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bits.length; i += 16) {
    let word = 0;
    for (let j = i; j < Math.min(i + 16, bits.length); j++) word = (word << 1) | (bits[j] as number);
    out += String.fromCharCode(word + 0x100);
  }
  return out;
}

/** The smallest prefix of the key's history that is already not linearizable, as the excerpt. */
function violation(history: History, keyOps: readonly HistoryOp[], key: string, model: SequentialModel<any>, stepsMax: number): Verdict {
  const positions = new Set<number>();
  for (const o of keyOps) {
    positions.add(o.invokedAt);
    if (o.completedAt !== null) positions.add(o.completedAt);
  }
  const cuts = [...positions].sort((a, b) => a - b).map((p) => p + 1);
  // Not linearizable is kept by every longer prefix: binary search for the shortest.
  let lo = 0;
  let hi = cuts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (search(keyOps, cuts[mid] as number, model, stepsMax) === 'violated') hi = mid;
    else lo = mid + 1;
  }
  const cut = cuts[lo] as number;
  const ids = new Set(keyOps.map((o) => o.id));
  const excerpt: HistoryEntry[] = [];
  for (const [at, e] of history.entries()) {
    if (at >= cut) break;
    if (e.type === 'power-loss' || ids.has(e.id)) excerpt.push(e);
  }
  const culprit = history[cut - 1];
  const what = culprit !== undefined && culprit.type !== 'power-loss' && culprit.type !== 'invoke' ? `${culprit.client} #${culprit.id}'s answer` : 'the history';
  return {
    verdict: 'violated',
    problem: `not linearizable${key !== '' ? ` (key ${key})` : ''}: no order of the operations the model accepts explains ${what}`,
    excerpt: trimPowerLosses(excerpt),
  };
}

/** Power losses before the first operation of the excerpt say nothing about it. */
function trimPowerLosses(excerpt: HistoryEntry[]): HistoryEntry[] {
  const first = excerpt.findIndex((e) => e.type !== 'power-loss');
  return first < 0 ? excerpt : excerpt.slice(first);
}
