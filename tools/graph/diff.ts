/**
 * What changed between two capability graphs — typically before a power loss and after the
 * restart: nodes by ID, edges as a multiset (two equal capabilities in two slots are two edges).
 */
import { edgeKey, type CapGraph, type GraphEdge, type GraphNode, type ProcessFacts } from './build.ts';
import { dotEdge, dotNode, edgeLabel } from './render.ts';

export interface GraphDiff {
  nodesAdded: GraphNode[];
  nodesRemoved: GraphNode[];
  edgesAdded: GraphEdge[];
  edgesRemoved: GraphEdge[];
  /** Processes in both graphs whose status, state or queue differ (only when both graphs carry the facts). */
  processesChanged: ProcessChange[];
}

/** One process that is there before and after, and what about it differs: [before, after]. */
export interface ProcessChange {
  id: number;
  label: string;
  status?: [string, string];
  state?: [string, string];
  queued?: [number, number];
}

export function diffGraphs(before: CapGraph, after: CapGraph): GraphDiff {
  // A node is matched by what it is (CapGraph.sameAs), else by ID: a store object renewed by a
  // restart is the same store of the same process, not a removal and an addition.
  const idOf = (g: CapGraph) => (id: number): string => g.sameAs?.[id] ?? String(id);
  const beforeIds = new Set(before.nodes.map((n) => idOf(before)(n.id)));
  const afterIds = new Set(after.nodes.map((n) => idOf(after)(n.id)));
  return {
    nodesAdded: after.nodes.filter((n) => !beforeIds.has(idOf(after)(n.id))),
    nodesRemoved: before.nodes.filter((n) => !afterIds.has(idOf(before)(n.id))),
    edgesAdded: multisetMinus(after.edges, idOf(after), before.edges, idOf(before)),
    edgesRemoved: multisetMinus(before.edges, idOf(before), after.edges, idOf(after)),
    processesChanged: processChanges(before, after),
  };
}

function processChanges(before: CapGraph, after: CapGraph): ProcessChange[] {
  const out: ProcessChange[] = [];
  if (before.processes === undefined || after.processes === undefined) return out;
  for (const n of after.nodes) {
    const was: ProcessFacts | undefined = before.processes[n.id];
    const is: ProcessFacts | undefined = after.processes[n.id];
    if (was === undefined || is === undefined) continue;
    const change: ProcessChange = { id: n.id, label: n.label };
    if (was.status !== is.status) change.status = [was.status, is.status];
    if (was.state !== is.state) change.state = [was.state, is.state];
    if (was.queued !== is.queued) change.queued = [was.queued, is.queued];
    if (change.status || change.state || change.queued) out.push(change);
  }
  return out;
}

/** The edges of `a` not matched one for one by an equal edge of `b` (targets compared by what they are). */
function multisetMinus(a: GraphEdge[], aId: (id: number) => string, b: GraphEdge[], bId: (id: number) => string): GraphEdge[] {
  const keyOf = (e: GraphEdge, id: (n: number) => string): string => `${edgeKey({ ...e, to: 0 })} ${id(e.to)}`;
  const counts = new Map<string, number>();
  for (const e of b) counts.set(keyOf(e, bId), (counts.get(keyOf(e, bId)) ?? 0) + 1);
  const out: GraphEdge[] = [];
  for (const e of a) {
    const k = keyOf(e, aId);
    const n = counts.get(k) ?? 0;
    if (n > 0) counts.set(k, n - 1);
    else out.push(e);
  }
  return out;
}

export function isEmptyDiff(d: GraphDiff): boolean {
  return d.nodesAdded.length + d.nodesRemoved.length + d.edgesAdded.length + d.edgesRemoved.length + d.processesChanged.length === 0;
}

/** The diff for a person; `labels` names the nodes of both graphs. */
export function renderDiffText(d: GraphDiff, before: CapGraph, after: CapGraph): string {
  const labels = new Map<number, string>();
  for (const n of [...before.nodes, ...after.nodes]) labels.set(n.id, n.label);
  const name = (id: number) => labels.get(id) ?? `object ${id}`;
  if (isEmptyDiff(d)) return `no change: ${after.nodes.length} nodes, ${after.edges.length} edges, the same before and after`;
  const lines = [`${d.nodesAdded.length} node(s) added, ${d.nodesRemoved.length} removed; ${d.edgesAdded.length} edge(s) added, ${d.edgesRemoved.length} removed; ${d.processesChanged.length} process(es) changed`];
  for (const n of d.nodesRemoved) lines.push(`- node ${n.label}`);
  for (const n of d.nodesAdded) lines.push(`+ node ${n.label}`);
  for (const e of d.edgesRemoved) lines.push(`- edge ${name(e.from)} -> ${name(e.to)} [${edgeLabel(e)}]`);
  for (const e of d.edgesAdded) lines.push(`+ edge ${name(e.from)} -> ${name(e.to)} [${edgeLabel(e)}]`);
  for (const c of d.processesChanged) {
    const parts: string[] = [];
    if (c.status) parts.push(`status ${c.status[0]} -> ${c.status[1]}`);
    if (c.queued) parts.push(`queue ${c.queued[0]} -> ${c.queued[1]}`);
    if (c.state) parts.push(`state ${clip(c.state[0])} -> ${clip(c.state[1])}`);
    lines.push(`~ ${c.label}: ${parts.join(', ')}`);
  }
  return lines.join('\n');
}

const STATE_SHOWN_MAX = 60;

/** A state short enough for one line. */
function clip(json: string): string {
  return json.length <= STATE_SHOWN_MAX ? json : `${json.slice(0, STATE_SHOWN_MAX - 1)}…`;
}

/** The after-graph in DOT with what was removed drawn dashed red and what was added green. */
export function renderDiffDot(d: GraphDiff, after: CapGraph): string {
  const lines = ['digraph capsim_diff {', '  rankdir=LR;', '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  const added = new Set(d.nodesAdded.map((n) => n.id));
  for (const n of after.nodes) lines.push(dotNode(n, added.has(n.id) ? ', color=green' : ''));
  for (const n of d.nodesRemoved) lines.push(dotNode(n, ', color=red, style=dashed'));
  const addedEdges = new Map<string, number>();
  for (const e of d.edgesAdded) addedEdges.set(edgeKey(e), (addedEdges.get(edgeKey(e)) ?? 0) + 1);
  for (const e of after.edges) {
    const n = addedEdges.get(edgeKey(e)) ?? 0;
    if (n > 0) addedEdges.set(edgeKey(e), n - 1);
    lines.push(dotEdge(e, n > 0 ? ', color=green' : ''));
  }
  for (const e of d.edgesRemoved) lines.push(dotEdge(e, ', color=red, style=dashed'));
  lines.push('}');
  return lines.join('\n');
}
