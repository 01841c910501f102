import { describe, expect, it } from 'vitest';
import { instantiate, Kernel } from '../../kernel/index.ts';
import { buildGraph, diffGraphs, edgeKey, graphJson, isEmptyDiff, renderDiffDot, renderDiffText, renderDot, renderSvg, renderText, type CapGraph } from '../../tools/graph/index.ts';
import { system as watch } from './fixtures/watch-system.ts';

/** The watch system wired into a bare kernel, started, and run until idle after `ticks` inputs. */
function watchKernel(ticks: number): { kernel: Kernel; ids: Map<string, number> } {
  const kernel = new Kernel({ programs: watch.programs, seed: 1 });
  const wiring = instantiate(kernel, watch);
  kernel.startAll();
  const inbox = wiring.endpoints.get('inbox') as number;
  for (let i = 0; i < ticks; i++) kernel.inject(inbox, 'tick');
  kernel.run();
  const ids = new Map<string, number>([...wiring.processes, ...wiring.endpoints]);
  return { kernel, ids };
}

describe('buildGraph', () => {
  it('has a node per process and per endpoint, and an edge per capability with rights letters and badge', () => {
    const { kernel, ids } = watchKernel(0);
    const g = buildGraph(kernel);
    const client = ids.get('client') as number;
    const service = ids.get('service') as number;
    const svc = ids.get('svc') as number;
    expect(g.nodes.find((n) => n.id === client)).toEqual({ id: client, kind: 'process', label: `p${client} client` });
    expect(g.nodes.find((n) => n.id === svc)).toMatchObject({ kind: 'endpoint', label: `endpoint ${svc} 'svc' of p${service}` });
    const toSvc = g.edges.filter((e) => e.to === svc).map((e) => ({ from: e.from, rights: e.rights, badge: e.badge }));
    expect(toSvc).toEqual([
      { from: service, rights: 'rwg', badge: 0 },
      { from: client, rights: 'rw-', badge: 0 },
      { from: client, rights: 'r--', badge: 7 },
      { from: client, rights: 'r--k', badge: 0 },
    ]);
    // Every edge starts at a process node and ends at a node of the graph.
    const nodeIds = new Set(g.nodes.map((n) => n.id));
    for (const e of g.edges) {
      expect(g.nodes.find((n) => n.id === e.from)?.kind).toBe('process');
      expect(nodeIds.has(e.to)).toBe(true);
    }
    expect(g.nodes.map((n) => n.id)).toEqual([...g.nodes.map((n) => n.id)].sort((a, b) => a - b));
  });

  it('shows a capability minted at run time as a new edge', () => {
    const before = buildGraph(watchKernel(0).kernel);
    const { kernel, ids } = watchKernel(1);
    const after = buildGraph(kernel);
    expect(after.edges.length).toBe(before.edges.length + 1);
    expect(after.edges).toContainEqual({ from: ids.get('client'), to: ids.get('svc'), rights: 'r--', badge: 9 });
  });

  it("keeps an endpoint's name when its owner names a second capability to it later", () => {
    const { kernel, ids } = watchKernel(0);
    const service = ids.get('service') as number;
    const svc = ids.get('svc') as number;
    const slot = [...kernel.process(service).cspace.entries()].find(([, c]) => c.object.id === svc && c.parent === null)?.[0] as number;
    kernel.grant(service, slot, service, { rights: 1, name: 'alias' });
    expect(buildGraph(kernel).nodes.find((n) => n.id === svc)?.label).toBe(`endpoint ${svc} 'svc' of p${service}`);
  });

  it('is the same for the same kernel, built twice', () => {
    const { kernel } = watchKernel(2);
    expect(buildGraph(kernel)).toEqual(buildGraph(kernel));
  });
});

describe('rendering', () => {
  const g = buildGraph(watchKernel(1).kernel);

  it('JSON has exactly {nodes:[{id,kind,label}], edges:[{from,to,rights,badge}]}', () => {
    const json = JSON.parse(JSON.stringify(graphJson(g))) as Record<string, unknown[]>;
    expect(Object.keys(json).sort()).toEqual(['edges', 'nodes']);
    for (const n of json.nodes ?? []) expect(Object.keys(n as object).sort()).toEqual(['id', 'kind', 'label']);
    for (const e of json.edges ?? []) expect(Object.keys(e as object).sort()).toEqual(['badge', 'from', 'rights', 'to']);
    expect(json.edges).toHaveLength(g.edges.length);
  });

  it('DOT is a digraph with every node, and one arrow per holder and object labelled with each capability', () => {
    const dot = renderDot(g);
    expect(dot.startsWith('digraph capsim {')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    for (const n of g.nodes) expect(dot).toContain(`n${n.id} [label="${n.label.replace(/"/g, '\\"')}"`);
    const pairs = new Set(g.edges.map((e) => `n${e.from} -> n${e.to}`));
    expect(dot.split('->').length - 1).toBe(pairs.size);
    for (const e of g.edges) {
      const arrow = dot.split('\n').find((l) => l.startsWith(`  n${e.from} -> n${e.to} `));
      expect(arrow, `n${e.from} -> n${e.to}`).toContain(e.badge ? `${e.rights} badge ${e.badge}` : e.rights);
    }
  });

  it('parallel capabilities share one arrow, their labels one per line, so each label is beside its own arrow', () => {
    const dot = renderDot({
      nodes: [
        { id: 1, kind: 'process', label: 'p1 bank' },
        { id: 5, kind: 'endpoint', label: 'endpoint 5' },
      ],
      edges: [
        { from: 1, to: 5, rights: 'rwg', badge: 0 },
        { from: 1, to: 5, rights: 'rwg', badge: 7 },
      ],
    });
    expect(dot).toContain('n1 -> n5 [label="rwg\\nrwg badge 7"];');
    expect(dot.split('->').length - 1).toBe(1);
  });

  it('DOT escapes quotes in labels', () => {
    const dot = renderDot({ nodes: [{ id: 1, kind: 'process', label: 'p1 say "hi"' }], edges: [] });
    expect(dot).toContain('label="p1 say \\"hi\\""');
  });

  it('text lists each process with its capabilities', () => {
    const text = renderText(g);
    expect(text.split('\n')[0]).toBe(`capability graph: ${g.nodes.length} nodes, ${g.edges.length} edges`);
    expect(text).toContain('[r-- badge 7]');
    expect(text).toContain('[r--k]');
    expect(text.split('\n').filter((l) => l.startsWith('  -> '))).toHaveLength(g.edges.length);
  });

  it('SVG is rendered in-process and starts with <svg', async () => {
    const started = Date.now();
    const svg = await renderSvg(g);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('badge 7');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('diffGraphs', () => {
  const node = (id: number) => ({ id, kind: 'endpoint' as const, label: `endpoint ${id}` });
  const proc = { id: 1, kind: 'process' as const, label: 'p1 x' };
  const edge = (to: number, rights = 'rw-', badge = 0) => ({ from: 1, to, rights, badge });

  it('finds added and removed nodes and edges', () => {
    const before: CapGraph = { nodes: [proc, node(2), node(3)], edges: [edge(2), edge(3, 'r--', 4)] };
    const after: CapGraph = { nodes: [proc, node(2), node(5)], edges: [edge(2), edge(5)] };
    const d = diffGraphs(before, after);
    expect(d.nodesAdded.map((n) => n.id)).toEqual([5]);
    expect(d.nodesRemoved.map((n) => n.id)).toEqual([3]);
    expect(d.edgesAdded).toEqual([edge(5)]);
    expect(d.edgesRemoved).toEqual([edge(3, 'r--', 4)]);
    const text = renderDiffText(d, before, after);
    expect(text).toContain('- node endpoint 3');
    expect(text).toContain('+ edge p1 x -> endpoint 5 [rw-]');
    expect(text).toContain('- edge p1 x -> endpoint 3 [r-- badge 4]');
  });

  it('counts equal edges one for one, and sees a change of rights or badge', () => {
    const before: CapGraph = { nodes: [proc, node(2)], edges: [edge(2), edge(2), edge(2, 'r--')] };
    const after: CapGraph = { nodes: [proc, node(2)], edges: [edge(2), edge(2, 'r--', 1)] };
    const d = diffGraphs(before, after);
    expect(d.edgesRemoved.map(edgeKey).sort()).toEqual([edgeKey(edge(2)), edgeKey(edge(2, 'r--'))].sort());
    expect(d.edgesAdded).toEqual([edge(2, 'r--', 1)]);
    expect(d.nodesAdded).toEqual([]);
  });

  it('matches a store object renewed by a restart to the old one by its owner, not by ID', () => {
    const store = (id: number) => ({ id, kind: 'store' as const, label: `store ${id} of p1` });
    const before: CapGraph = { nodes: [proc, store(2), node(3)], edges: [edge(2), edge(3)], sameAs: { 2: 'the store of p1' } };
    const after: CapGraph = { nodes: [proc, store(9), node(3)], edges: [edge(9), edge(3)], sameAs: { 9: 'the store of p1' } };
    expect(isEmptyDiff(diffGraphs(before, after))).toBe(true);
    // Without the identity the same graphs differ by a node and an edge each way.
    const plain = diffGraphs({ ...before, sameAs: {} }, { ...after, sameAs: {} });
    expect([plain.nodesAdded.length, plain.nodesRemoved.length, plain.edgesAdded.length, plain.edgesRemoved.length]).toEqual([1, 1, 1, 1]);
  });

  it('says no change for equal graphs', () => {
    const g = buildGraph(watchKernel(1).kernel);
    const d = diffGraphs(g, structuredClone(g));
    expect(isEmptyDiff(d)).toBe(true);
    expect(renderDiffText(d, g, g)).toMatch(/^no change/);
  });

  it('DOT of a diff draws removed edges dashed red and added ones green', () => {
    const before: CapGraph = { nodes: [proc, node(2), node(3)], edges: [edge(2), edge(3)] };
    const after: CapGraph = { nodes: [proc, node(2), node(4)], edges: [edge(2), edge(4)] };
    const dot = renderDiffDot(diffGraphs(before, after), after);
    expect(dot).toContain('n1 -> n3 [label="rw-", color=red, style=dashed]');
    expect(dot).toContain('n1 -> n4 [label="rw-", color=green]');
    expect(dot).toContain('n1 -> n2 [label="rw-"]');
  });
});
