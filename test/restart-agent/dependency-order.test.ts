import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startOrder } from '../../restart-agent/dependency-order.ts';
import { propertySeed } from '../support/seed.ts';

describe('startOrder', () => {
  it('starts a chain from its end: block store, then file server, then compute', () => {
    const deps: Record<number, number[]> = { 1: [], 2: [1], 3: [2], 4: [2] };
    expect(startOrder([4, 3, 2, 1], (n) => deps[n] ?? [])).toEqual([[1], [2], [3], [4]]);
  });

  it('starts a cycle together, after what the cycle depends on', () => {
    const deps: Record<number, number[]> = { 1: [], 2: [3, 1], 3: [2], 4: [3] };
    expect(startOrder([1, 2, 3, 4], (n) => deps[n] ?? [])).toEqual([[1], [2, 3], [4]]);
  });

  it('ignores dependencies on nodes outside the set (quarantined or gone)', () => {
    expect(startOrder([5, 6], (n) => (n === 6 ? [5, 99] : []))).toEqual([[5], [6]]);
  });

  it('handles 100,000 nodes in a chain without overflowing the stack', () => {
    const n = 100_000;
    const nodes = Array.from({ length: n }, (_, i) => i + 1);
    const groups = startOrder(nodes, (x) => (x < n ? [x + 1] : []));
    expect(groups.length).toBe(n);
    expect(groups[0]).toEqual([n]);
    expect(groups[n - 1]).toEqual([1]);
  });

  it('property: every node appears once, and each starts no earlier than its dependencies outside its group', () => {
    const graph = fc.array(fc.array(fc.nat(19), { maxLength: 4 }), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(graph, (adj) => {
        const nodes = adj.map((_, i) => i);
        const deps = (n: number): number[] => (adj[n] ?? []).filter((d) => d < adj.length);
        const groups = startOrder(nodes, deps);
        const groupOf = new Map<number, number>();
        groups.forEach((g, i) => g.forEach((n) => groupOf.set(n, i)));
        expect([...groupOf.keys()].sort((a, b) => a - b)).toEqual(nodes);
        for (const n of nodes) for (const d of deps(n)) expect(groupOf.get(d) as number).toBeLessThanOrEqual(groupOf.get(n) as number);
      }),
      { seed: propertySeed(), numRuns: 300 },
    );
  });
});
