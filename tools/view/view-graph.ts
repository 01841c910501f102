/**
 * The capability graph as the page draws it: tools/graph's nodes, and one edge per c-list
 * slot (so a click names one capability: holder and slot), with what changed since another
 * graph marked — added edges and nodes, and the removed ones kept as ghosts to draw faded.
 */
import { formatRights, type Kernel, type KObject, type ObjectId } from '../../kernel/index.ts';
import { buildGraph, diffGraphs, edgeKey, type CapGraph, type GraphDiff } from '../graph/index.ts';

export interface ViewNode {
  id: ObjectId;
  kind: string;
  label: string;
  /** The process a non-process node belongs with, for a layout that keeps it beside its owner. */
  owner: ObjectId | null;
  change: 'added' | 'removed' | null;
}

export interface ViewEdge {
  /** `${holder}:${slot}`; a removed one `gone:${n}`. */
  id: string;
  from: ObjectId;
  to: ObjectId;
  slot: number | null;
  name: string | null;
  rights: string;
  badge: number;
  change: 'added' | 'removed' | null;
}

export interface ViewGraph {
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** Counts of what changed since the graph it was compared with (null: compared with none). */
  changed: { nodesAdded: number; nodesRemoved: number; edgesAdded: number; edgesRemoved: number; processes: number } | null;
}

/** The graph of `kernel`, marked against `previous` (the graph one position earlier), if any. */
export function viewGraph(kernel: Kernel, previous: CapGraph | null): { view: ViewGraph; graph: CapGraph } {
  const graph = buildGraph(kernel);
  const diff: GraphDiff | null = previous === null ? null : diffGraphs(previous, graph);
  const added = new Map<string, number>();
  for (const e of diff?.edgesAdded ?? []) added.set(edgeKey(e), (added.get(edgeKey(e)) ?? 0) + 1);
  const addedNodes = new Set((diff?.nodesAdded ?? []).map((n) => n.id));
  const edges: ViewEdge[] = [];
  const owners = new Map<ObjectId, ObjectId>();
  const processes = [...kernel.processes()].filter((p) => p.alive).sort((a, b) => a.id - b.id);
  for (const p of processes) {
    for (const [slot, cap] of p.cspace.entries()) {
      const e = { from: p.id, to: cap.object.id, rights: formatRights(cap.rights), badge: cap.badge };
      const n = added.get(edgeKey(e)) ?? 0;
      if (n > 0) added.set(edgeKey(e), n - 1);
      edges.push({ id: `${p.id}:${slot}`, ...e, slot, name: cap.name, change: n > 0 ? 'added' : null });
      if (!owners.has(cap.object.id)) owners.set(cap.object.id, p.id);
    }
  }
  const nodes: ViewNode[] = graph.nodes.map((n) => ({ id: n.id, kind: n.kind, label: n.label, owner: n.kind === 'process' ? null : ownerOf(kernel.objects.get(n.id)) ?? owners.get(n.id) ?? null, change: addedNodes.has(n.id) ? 'added' : null }));
  for (const n of diff?.nodesRemoved ?? []) nodes.push({ id: n.id, kind: n.kind, label: n.label, owner: null, change: 'removed' });
  const present = new Set(nodes.map((n) => n.id));
  (diff?.edgesRemoved ?? []).forEach((e, i) => {
    // A removed edge whose ends are both gone from the page has nothing to hang on.
    if (present.has(e.from) && present.has(e.to)) edges.push({ id: `gone:${i}`, ...e, slot: null, name: null, change: 'removed' });
  });
  const changed = diff === null ? null : { nodesAdded: diff.nodesAdded.length, nodesRemoved: diff.nodesRemoved.length, edgesAdded: diff.edgesAdded.length, edgesRemoved: diff.edgesRemoved.length, processes: diff.processesChanged.length };
  return { view: { nodes, edges, changed }, graph };
}

function ownerOf(o: KObject | undefined): ObjectId | null {
  if (o === undefined) return null;
  if (o.kind === 'endpoint' || o.kind === 'store') return o.owner.id;
  if (o.kind === 'reply') return o.caller?.id ?? null;
  return null;
}
