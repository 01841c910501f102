/**
 * The capability graph for a person (text), for Graphviz (DOT), for a browser (SVG, rendered
 * in-process by @viz-js/viz, a WebAssembly build of Graphviz: no system Graphviz needed) and
 * for programs (JSON, exactly {nodes:[{id,kind,label}], edges:[{from,to,rights,badge}]}).
 */
import type { CapGraph, GraphEdge, GraphNode } from './build.ts';

export const GRAPH_FORMATS = ['text', 'dot', 'svg', 'json'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export function edgeLabel(e: Pick<GraphEdge, 'rights' | 'badge'>): string {
  return e.badge ? `${e.rights} badge ${e.badge}` : e.rights;
}

/** Exactly the documented JSON shape, whatever else a graph object may carry. */
export function graphJson(g: CapGraph): CapGraph {
  return {
    nodes: g.nodes.map((n) => ({ id: n.id, kind: n.kind, label: n.label })),
    edges: g.edges.map((e) => ({ from: e.from, to: e.to, rights: e.rights, badge: e.badge })),
  };
}

export function renderText(g: CapGraph): string {
  const byId = new Map<number, GraphNode>(g.nodes.map((n) => [n.id, n]));
  const lines: string[] = [`capability graph: ${g.nodes.length} nodes, ${g.edges.length} edges`];
  for (const n of g.nodes) {
    if (n.kind !== 'process') continue;
    lines.push(n.label);
    for (const e of g.edges) if (e.from === n.id) lines.push(`  -> ${byId.get(e.to)?.label ?? `object ${e.to}`}  [${edgeLabel(e)}]`);
  }
  const held = new Set(g.edges.map((e) => e.to));
  const unheld = g.nodes.filter((n) => n.kind !== 'process' && !held.has(n.id));
  if (unheld.length > 0) {
    lines.push('objects no capability names:');
    for (const n of unheld) lines.push(`  ${n.label}`);
  }
  return lines.join('\n');
}

const SHAPES: Record<string, string> = { process: 'box', endpoint: 'ellipse', storage: 'cylinder', store: 'folder', reply: 'diamond' };

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export function dotNode(n: GraphNode, attrs = ''): string {
  return `  n${n.id} [label=${quote(n.label)}, shape=${SHAPES[n.kind] ?? 'ellipse'}${attrs}];`;
}

export function dotEdge(e: GraphEdge, attrs = ''): string {
  return `  n${e.from} -> n${e.to} [label=${quote(edgeLabel(e))}${attrs}];`;
}

/**
 * One arrow per holder and object, labelled with each capability the holder has to it, one per
 * line: Graphviz set the labels of parallel arrows near their common source, where one could not
 * tell which label was whose.
 */
export function renderDot(g: CapGraph): string {
  const lines = ['digraph capsim {', '  rankdir=LR;', '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  for (const n of g.nodes) lines.push(dotNode(n));
  const pairs = new Map<string, { from: number; to: number; labels: string[] }>();
  for (const e of g.edges) {
    const key = `${e.from}>${e.to}`;
    const pair = pairs.get(key) ?? { from: e.from, to: e.to, labels: [] };
    pair.labels.push(edgeLabel(e));
    pairs.set(key, pair);
  }
  for (const p of pairs.values()) lines.push(`  n${p.from} -> n${p.to} [label=${quote(p.labels.join('\n'))}];`);
  lines.push('}');
  return lines.join('\n');
}

/** Renders DOT text to an SVG document that starts with '<svg'. */
export async function dotToSvg(dot: string): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  const svg = viz.renderString(dot, { format: 'svg' });
  const start = svg.indexOf('<svg');
  return start >= 0 ? svg.slice(start) : svg;
}

export async function renderSvg(g: CapGraph): Promise<string> {
  return dotToSvg(renderDot(g));
}
