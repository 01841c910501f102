/** The capability graph: build it from a kernel, render it, diff two of them. */
export { buildGraph, edgeKey, type CapGraph, type GraphNode, type GraphEdge } from './build.ts';
export { GRAPH_FORMATS, graphJson, renderText, renderDot, renderSvg, dotToSvg, edgeLabel, type GraphFormat } from './render.ts';
export { diffGraphs, isEmptyDiff, renderDiffText, renderDiffDot, type GraphDiff } from './diff.ts';
