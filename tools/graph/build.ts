/**
 * The capability graph of a live kernel: every process and every object a capability names
 * is a node; every capability in a c-list is an edge from its holder to its target, labelled
 * with its rights (formatRights letters) and badge. A pure function of the kernel, ordered by
 * ID and slot, so the same kernel always gives the same graph.
 */
import { formatRights, redactTokens, type Kernel, type KObject, type ObjectId, type ObjectKind } from '../../kernel/index.ts';

export interface GraphNode {
  id: ObjectId;
  kind: ObjectKind;
  label: string;
}

export interface GraphEdge {
  /** The holder: a process ID. */
  from: ObjectId;
  /** The target object's ID. */
  to: ObjectId;
  /** Rights as letters, e.g. 'rwg' or 'r--k'. */
  rights: string;
  badge: number;
}

export interface CapGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /**
   * What a node is across a restart, where its ID is not: each boot gives a persistent process a
   * new store object, so a store node is "the store of p<owner>". Used by the diff only; not
   * part of the JSON form.
   */
  sameAs?: Record<number, string>;
  /**
   * What each live process is besides its capabilities — status, state, messages waiting —
   * by ID. A restart may change these and no edge (a process rebuilt from its command line
   * with every capability it named), so the diff compares them too. Not part of the JSON form.
   */
  processes?: Record<number, ProcessFacts>;
}

/** A process's part of the graph that is not an edge. */
export interface ProcessFacts {
  status: string;
  /** Its program state as JSON. */
  state: string;
  /** Messages waiting in its inbox (lost by a power loss unless a checkpoint holds them). */
  queued: number;
}

/** Builds the graph: live processes, the live endpoints and storage objects, and whatever a capability targets. */
export function buildGraph(kernel: Kernel): CapGraph {
  const targets = new Map<ObjectId, KObject>();
  const names = new Map<ObjectId, { name: string; rank: number }>();
  const edges: GraphEdge[] = [];
  const processes = [...kernel.processes()].filter((p) => p.alive).sort((a, b) => a.id - b.id);
  for (const p of processes) {
    for (const [, cap] of p.cspace.entries()) {
      targets.set(cap.object.id, cap.object);
      edges.push({ from: p.id, to: cap.object.id, rights: formatRights(cap.rights), badge: cap.badge });
    }
    // The name an object is known by: its owner's name for the capability it was created with,
    // else the owner's first name for it, else its first holder's. A later alias never renames it.
    for (const [name, cap] of p.named) {
      const id = cap.object.id;
      const rank = ownerOf(cap.object) !== p.id ? 2 : cap.parent === null ? 0 : 1;
      const known = names.get(id);
      if (known === undefined || rank < known.rank) names.set(id, { name, rank });
    }
  }
  const nodes = new Map<ObjectId, GraphNode>();
  for (const p of processes) nodes.set(p.id, { id: p.id, kind: 'process', label: `p${p.id} ${p.program}` });
  const objects: KObject[] = [...targets.values()];
  for (const o of kernel.objects.values()) if (o.alive && (o.kind === 'endpoint' || o.kind === 'storage')) objects.push(o);
  for (const o of objects) {
    if (nodes.has(o.id)) continue;
    nodes.set(o.id, { id: o.id, kind: o.kind, label: objectLabel(o, names.get(o.id)?.name) });
  }
  const sameAs: Record<number, string> = {};
  for (const o of objects) if (o.kind === 'store') sameAs[o.id] = `the store of p${o.owner.id}`;
  const facts: Record<number, ProcessFacts> = {};
  for (const p of processes) facts[p.id] = { status: p.status, state: redactTokens(JSON.stringify(p.state) ?? 'null'), queued: p.inbox.length };
  return { nodes: [...nodes.values()].sort((a, b) => a.id - b.id), edges, sameAs, processes: facts };
}

function ownerOf(o: KObject): ObjectId | null {
  if (o.kind === 'endpoint' || o.kind === 'store') return o.owner.id;
  if (o.kind === 'reply') return o.caller?.id ?? null;
  return null;
}

function objectLabel(o: KObject, name: string | undefined): string {
  const parts: string[] = [`${o.kind} ${o.id}`];
  if (o.kind === 'process') parts[0] = `p${o.id} ${o.program}`;
  if (name !== undefined) parts.push(`'${name}'`);
  if (o.kind === 'endpoint' || o.kind === 'store') parts.push(`of p${o.owner.id}`);
  if (o.kind === 'reply') parts.push(o.caller === null ? 'for a client outside' : `for p${o.caller.id}`);
  if (!o.alive) parts.push('(dead)');
  return parts.join(' ');
}

/** A key for an edge, equal for equal edges: the diff counts edges as a multiset by it. */
export function edgeKey(e: GraphEdge): string {
  return `${e.from}->${e.to} ${e.rights} ${e.badge}`;
}
