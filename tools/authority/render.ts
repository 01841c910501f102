/**
 * The analysis for a person (text) and for programs (JSON: leaks and flows as [from, to] pairs,
 * and what each subject could obtain), the two queries, and what a restart changed.
 */
import { leakPath, type AuthorityResult, type Edge, type Obtainable } from './analyse.ts';

export function authorityJson(r: AuthorityResult): unknown {
  return {
    title: r.title,
    subjects: r.subjects,
    leaks: r.leaks,
    flows: r.flows,
    obtain: Object.fromEntries([...r.obtain].map(([s, caps]) => [s, caps.map(obtainableJson)])),
  };
}

export function obtainableJson(o: Obtainable): unknown {
  return { object: o.cap.object, kind: o.cap.kind, rights: [...o.cap.rights].sort(rightsOrder).join(''), label: o.cap.label, holder: o.holder, path: o.path.map((e) => ({ from: e.from, to: e.to, reason: e.reason })) };
}

export function renderAuthority(r: AuthorityResult): string {
  const lines = [`authority of ${r.title}: ${r.subjects.length} subject(s)`];
  lines.push(`leaks (who can pass capabilities to whom, transitively): ${r.leaks.length}`);
  for (const [a, b] of r.leaks) lines.push(`  ${a} -> ${b}: ${describePath(leakPath(r, a, b) ?? [])}`);
  lines.push(`flows (where information can go, transitively): ${r.flows.length}`);
  for (const [a, b] of r.flows) {
    const direct = r.directFlows.find((e) => e.from === a && e.to === b);
    const leak = r.leaks.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
    lines.push(`  ${a} -> ${b}${direct ? `: ${direct.reason}` : leak ? ': along a leak' : ': through others'}`);
  }
  lines.push('what each subject could obtain:');
  for (const s of r.subjects) {
    const caps = r.obtain.get(s) ?? [];
    const own = caps.filter((o) => o.path.length === 0).length;
    lines.push(caps.length === 0 ? `  ${s}: holds no capabilities: no authority` : `  ${s}: ${caps.length} capabilit${caps.length === 1 ? 'y' : 'ies'} (${own} its own, ${caps.length - own} through leaks)`);
  }
  return lines.join('\n');
}

export function renderCan(r: AuthorityResult, subject: string): string {
  const caps = r.obtain.get(subject) ?? [];
  if (caps.length === 0) return `${subject} holds no capabilities and no one can pass it any: no authority`;
  const lines = [`${subject} could obtain ${caps.length} capabilit${caps.length === 1 ? 'y' : 'ies'}:`];
  for (const o of caps) lines.push(`  ${o.cap.label}${o.path.length === 0 ? ' (holds it)' : ` from ${o.holder}: ${describePath(o.path)}`}`);
  return lines.join('\n');
}

export function renderReach(target: string, hits: Array<{ subject: string; via: Obtainable }>): string {
  if (hits.length === 0) return `no subject could come to hold a capability to ${target}`;
  const lines = [`${hits.length} subject(s) could come to hold a capability to ${target}:`];
  for (const h of hits) lines.push(`  ${h.subject}${h.via.path.length === 0 ? ` holds it: ${h.via.cap.label}` : `: from ${h.via.holder}: ${describePath(h.via.path)}`}`);
  return lines.join('\n');
}

export interface AuthorityDiff {
  leaksAdded: Array<[string, string]>;
  leaksRemoved: Array<[string, string]>;
  flowsAdded: Array<[string, string]>;
  flowsRemoved: Array<[string, string]>;
  /** Per subject: the objects it could reach after and not before, and before and not after. */
  reach: Record<string, { added: string[]; removed: string[] }>;
}

export function diffAuthority(before: AuthorityResult, after: AuthorityResult): AuthorityDiff {
  const key = ([a, b]: [string, string]): string => `${a}\u0000${b}`;
  const minus = (x: Array<[string, string]>, y: Array<[string, string]>): Array<[string, string]> => {
    const ys = new Set(y.map(key));
    return x.filter((p) => !ys.has(key(p)));
  };
  const reach: AuthorityDiff['reach'] = {};
  for (const s of new Set([...before.subjects, ...after.subjects])) {
    const objects = (r: AuthorityResult): Set<string> => new Set((r.obtain.get(s) ?? []).map((o) => o.cap.label.replace(/ in slot \d+$/, '')));
    const b = objects(before);
    const a = objects(after);
    const added = [...a].filter((o) => !b.has(o));
    const removed = [...b].filter((o) => !a.has(o));
    if (added.length + removed.length > 0) reach[s] = { added, removed };
  }
  return { leaksAdded: minus(after.leaks, before.leaks), leaksRemoved: minus(before.leaks, after.leaks), flowsAdded: minus(after.flows, before.flows), flowsRemoved: minus(before.flows, after.flows), reach };
}

export function renderDiff(d: AuthorityDiff): string {
  const lines: string[] = [];
  for (const [a, b] of d.leaksRemoved) lines.push(`- leak ${a} -> ${b}`);
  for (const [a, b] of d.leaksAdded) lines.push(`+ leak ${a} -> ${b}`);
  for (const [a, b] of d.flowsRemoved) lines.push(`- flow ${a} -> ${b}`);
  for (const [a, b] of d.flowsAdded) lines.push(`+ flow ${a} -> ${b}`);
  for (const [s, c] of Object.entries(d.reach)) {
    for (const o of c.removed) lines.push(`- ${s} could reach ${o}`);
    for (const o of c.added) lines.push(`+ ${s} could reach ${o}`);
  }
  return lines.length === 0 ? 'the restart changed nothing in who can reach what' : [`the restart changed ${lines.length} thing(s) in who can reach what:`, ...lines].join('\n');
}

function describePath(path: Edge[]): string {
  return path.map((e) => e.reason).join('; then ');
}

function rightsOrder(a: string, b: string): number {
  return 'RWG'.indexOf(a) - 'RWG'.indexOf(b);
}
