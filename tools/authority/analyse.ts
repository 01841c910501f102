/**
 * The leak and information-flow relations of capDL-tool's `-a` (CapDL/STCC.hs), over any
 * subjects:
 *  - a leaks to b (a can pass capabilities to b) when they share a CNode, when a holds a TCB
 *    capability to b, or when a holds grant on an endpoint b can read; leaks are closed
 *    transitively, and what b could ever obtain is its own capabilities and those of every
 *    subject that leaks to it;
 *  - information flows both ways along every leak; besides, it flows both ways between two
 *    subjects when one can write and the other read a common endpoint (a send also tells the
 *    sender when it was taken), and from writer to reader over a common notification or frame;
 *    flows are closed transitively, and a subject's flow to itself is left out.
 * Unlike STCC.hs, a subject that holds no capabilities is a subject like any other (it has no
 * authority), where capDL-tool stops with "Prelude.head: empty list"; and a leak of a subject
 * to itself is left out, as STCC.hs does for flows. Every edge keeps the reason it exists, so a
 * query can show the path of grants behind an answer.
 */
import type { AbstractCap, AbstractRight, AuthorityInput } from './subjects.ts';

export interface Edge {
  from: string;
  to: string;
  /** Why: e.g. "x grants through endpoint e, which y reads". */
  reason: string;
}

export interface Obtainable {
  cap: AbstractCap;
  /** The subject that holds it now. */
  holder: string;
  /** The direct leaks from the holder to the subject, in order; empty for its own. */
  path: Edge[];
}

export interface AuthorityResult {
  title: string;
  subjects: string[];
  directLeaks: Edge[];
  directFlows: Edge[];
  /** Transitive, no pair of a subject with itself. */
  leaks: Array<[string, string]>;
  flows: Array<[string, string]>;
  /** Every capability each subject could come to hold, with how. */
  obtain: Map<string, Obtainable[]>;
}

export function analyse(input: AuthorityInput): AuthorityResult {
  const names = input.subjects.map((s) => s.name);
  const directLeaks: Edge[] = [];
  const directFlows: Edge[] = [];
  const subjects = input.subjects;
  for (let i = 0; i < subjects.length; i += 1) {
    for (let j = i + 1; j < subjects.length; j += 1) {
      const a = subjects[i] as (typeof subjects)[number];
      const b = subjects[j] as (typeof subjects)[number];
      const shared = sharedCnode(a.caps, b.caps);
      for (const [x, y] of [[a, b], [b, a]] as const) {
        const reason = shared !== null ? `${x.name} and ${y.name} share CNode ${shared}` : tcbReason(x, y.name) ?? overlap(x, y, 'G', 'R', ['endpoint'], (o) => `${x.name} can grant through ${o}, which ${y.name} reads`);
        if (reason !== null) directLeaks.push({ from: x.name, to: y.name, reason });
      }
      const endpointFlow = overlap(a, b, 'W', 'R', ['endpoint'], (o) => `${a.name} writes ${o}, which ${b.name} reads`) ?? overlap(b, a, 'W', 'R', ['endpoint'], (o) => `${b.name} writes ${o}, which ${a.name} reads`);
      for (const [x, y] of [[a, b], [b, a]] as const) {
        const reason = endpointFlow !== null ? `${endpointFlow} (endpoint communication goes both ways)` : overlap(x, y, 'W', 'R', ['frame', 'notification'], (o) => `${x.name} writes ${o}, which ${y.name} reads`);
        if (reason !== null) directFlows.push({ from: x.name, to: y.name, reason });
      }
    }
  }
  const leaks = closure(names, directLeaks.map((e) => [e.from, e.to]));
  const flowSeed: Array<[string, string]> = [...leaks.flatMap(([x, y]) => [[x, y], [y, x]] as Array<[string, string]>), ...directFlows.map((e) => [e.from, e.to] as [string, string])];
  const flows = closure(names, flowSeed);
  const obtain = new Map<string, Obtainable[]>();
  for (const s of subjects) obtain.set(s.name, obtainableBy(s.name, input, directLeaks));
  return { title: input.title, subjects: names, directLeaks, directFlows, leaks, flows, obtain };
}

function sharedCnode(a: AbstractCap[], b: AbstractCap[]): string | null {
  const mine = new Set(a.filter((c) => c.kind === 'cnode').map((c) => c.object));
  return b.find((c) => c.kind === 'cnode' && mine.has(c.object))?.object ?? null;
}

function tcbReason(x: { name: string; caps: AbstractCap[] }, y: string): string | null {
  return x.caps.some((c) => c.kind === 'tcb' && c.object === y) ? `${x.name} holds a TCB capability to ${y}` : null;
}

/** The first object on which x holds `xRight` and y holds `yRight`, described by `say`; else null. */
function overlap(x: { caps: AbstractCap[] }, y: { caps: AbstractCap[] }, xRight: AbstractRight, yRight: AbstractRight, kinds: string[], say: (object: string) => string): string | null {
  const theirs = new Set(y.caps.filter((c) => kinds.includes(c.kind) && c.rights.has(yRight)).map((c) => c.object));
  const hit = x.caps.find((c) => kinds.includes(c.kind) && c.rights.has(xRight) && theirs.has(c.object));
  return hit === undefined ? null : say(hit.object);
}

/** Transitive closure by a search from every subject; no pair of a subject with itself. */
function closure(names: string[], pairs: Array<[string, string]>): Array<[string, string]> {
  const next = new Map<string, Set<string>>(names.map((n) => [n, new Set()]));
  for (const [a, b] of pairs) next.get(a)?.add(b);
  const out: Array<[string, string]> = [];
  for (const start of names) {
    const seen = new Set<string>([start]);
    const queue = [start];
    while (queue.length > 0) {
      const at = queue.shift() as string;
      for (const n of next.get(at) ?? []) {
        if (seen.has(n)) continue;
        seen.add(n);
        queue.push(n);
      }
    }
    for (const n of names) if (n !== start && seen.has(n)) out.push([start, n]);
  }
  return out;
}

/** Own capabilities, then those of every subject that leaks to `name`, each with the shortest path of leaks. */
function obtainableBy(name: string, input: AuthorityInput, edges: Edge[]): Obtainable[] {
  const into = new Map<string, Edge[]>();
  for (const e of edges) into.set(e.to, [...(into.get(e.to) ?? []), e]);
  // Breadth-first backwards from `name`: pathTo.get(x) is x's shortest chain of leaks to `name`.
  const pathTo = new Map<string, Edge[]>([[name, []]]);
  const queue = [name];
  while (queue.length > 0) {
    const at = queue.shift() as string;
    for (const e of into.get(at) ?? []) {
      if (pathTo.has(e.from)) continue;
      pathTo.set(e.from, [e, ...(pathTo.get(at) as Edge[])]);
      queue.push(e.from);
    }
  }
  const out: Obtainable[] = [];
  const seen = new Set<string>();
  for (const s of input.subjects) {
    const path = pathTo.get(s.name);
    if (path === undefined) continue;
    for (const cap of s.caps) {
      if (!cap.transferable) continue;
      const key = `${cap.object}|${[...cap.rights].sort().join('')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ cap, holder: s.name, path });
    }
  }
  return out.sort((a, b) => a.path.length - b.path.length);
}

/** Every subject that could come to hold a capability to an object whose key or label names `target`. */
export function reachOf(result: AuthorityResult, target: string): Array<{ subject: string; via: Obtainable }> {
  const out: Array<{ subject: string; via: Obtainable }> = [];
  for (const [subject, caps] of result.obtain) {
    const hit = caps.find((o) => o.cap.object === target);
    if (hit !== undefined) out.push({ subject, via: hit });
  }
  return out;
}

/** The shortest chain of direct leaks from `from` to `to`, or null. */
export function leakPath(result: AuthorityResult, from: string, to: string): Edge[] | null {
  const back = new Map<string, Edge>();
  const seen = new Set<string>([from]);
  const queue = [from];
  while (queue.length > 0) {
    const at = queue.shift() as string;
    if (at === to) break;
    for (const e of result.directLeaks) {
      if (e.from !== at || seen.has(e.to)) continue;
      seen.add(e.to);
      back.set(e.to, e);
      queue.push(e.to);
    }
  }
  if (!back.has(to)) return null;
  const path: Edge[] = [];
  for (let at = to; at !== from; ) {
    const e = back.get(at) as Edge;
    path.unshift(e);
    at = e.from;
  }
  return path;
}
