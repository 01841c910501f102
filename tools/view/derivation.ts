/**
 * One capability's place in the derivation tree, for the page: the chain of ancestors it was
 * derived from, the subtree derived from it, and what a revoke of it would remove (every
 * descendant, wherever it is — a c-list or a message in transit — but not the capability
 * itself).
 */
import { formatRights, type Capability, type Kernel, type ObjectId } from '../../kernel/index.ts';

export interface CapLine {
  /** Where it is: `p3 slot 5`, or `in transit`. */
  where: string;
  holder: ObjectId | null;
  slot: number | null;
  target: string;
  rights: string;
  badge: number;
  name: string | null;
  depth: number;
}

export interface Derivation {
  cap: CapLine;
  ancestors: CapLine[];
  subtree: CapLine[];
  /** What `revoke` on this capability would remove: the subtree but the capability itself. */
  revokeRemoves: CapLine[];
  /** True when the subtree was longer than shown. */
  truncated: boolean;
}

/** Capabilities listed in a subtree before the rest is only counted as cut off. */
export const SUBTREE_SHOWN_MAX = 500;
/** Ancestors followed up the tree (a chain longer than this is a kernel bug). */
const ANCESTORS_MAX = 10_000;

export function derivationOf(kernel: Kernel, pid: ObjectId, slot: number): Derivation | null {
  const p = kernel.objects.get(pid);
  if (p === undefined || p.kind !== 'process' || !p.alive) return null;
  let cap: Capability | undefined;
  for (const [s, c] of p.cspace.entries()) if (s === slot) cap = c;
  if (cap === undefined) return null;
  const ancestors: CapLine[] = [];
  let up = cap.parent;
  for (let i = 0; up !== null && i < ANCESTORS_MAX; i++, up = up.parent) ancestors.unshift(line(up, 0));
  ancestors.forEach((a, i) => (a.depth = i - ancestors.length));
  const subtree: CapLine[] = [];
  let truncated = false;
  // Depth first, children in derivation order, with an explicit stack: a deep tree must not overflow.
  const stack: [Capability, number][] = [[cap, 0]];
  while (stack.length > 0) {
    const [c, depth] = stack.pop() as [Capability, number];
    if (subtree.length >= SUBTREE_SHOWN_MAX) {
      truncated = true;
      break;
    }
    subtree.push(line(c, depth));
    const children: Capability[] = [];
    for (let child = c.firstChild; child !== null; child = child.nextSibling) children.push(child);
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i] as Capability, depth + 1]);
  }
  return { cap: subtree[0] as CapLine, ancestors, subtree, revokeRemoves: subtree.slice(1), truncated };
}

function line(c: Capability, depth: number): CapLine {
  const holder = c.holder !== null && c.holder.kind === 'process' ? (c.holder as unknown as { id: ObjectId }).id : null;
  const inClist = holder !== null;
  return {
    where: inClist ? `p${holder} slot ${c.slot}` : 'in transit',
    holder: inClist ? holder : null,
    slot: inClist ? c.slot : null,
    target: `${c.object.kind} ${c.object.id}`,
    rights: formatRights(c.rights),
    badge: c.badge,
    name: c.name,
    depth,
  };
}
