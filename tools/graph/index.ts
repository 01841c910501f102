/** The capability graph: build it from a kernel, render it, diff two of them. */
export { buildGraph, edgeKey, type CapGraph, type GraphNode, type GraphEdge, type ProcessFacts } from './build.ts';
export { GRAPH_FORMATS, graphJson, renderText, renderDot, renderSvg, dotToSvg, edgeLabel, type GraphFormat } from './render.ts';
export { diffGraphs, isEmptyDiff, renderDiffText, renderDiffDot, type GraphDiff, type ProcessChange } from './diff.ts';
export { diffAcrossPowerLoss, type PowerLossDiff } from './across-power-loss.ts';
