/**
 * The analysis on a running capsim system: capsim's rights read in STCC's terms (an owner
 * receives on its endpoint and answers its callers through a reply that carries grant).
 */
import { describe, expect, it } from 'vitest';
import type { SystemSpec } from '../../../kernel/index.ts';
import { EXAMPLES } from '../../../examples/index.ts';
import { System } from '../../../restart-agent/index.ts';
import { MemoryDisk } from '../../../store/index.ts';
import { analyse, diffAuthority, reachOf, subjectsOfKernel } from '../../../tools/authority/index.ts';

async function running(spec: SystemSpec, cranks: number): Promise<System> {
  const system = await System.create({ spec, store: { backend: 'memory', disk: new MemoryDisk() }, seed: 1 });
  await system.run(cranks);
  return system;
}

describe('authority on live capsim state', () => {
  it('ping-pong: ping grants to pong through its rwg capability, pong to ping through the answers to its calls', async () => {
    const system = await running(EXAMPLES['ping-pong'] as SystemSpec, 5);
    try {
      const r = analyse(subjectsOfKernel(system.kernel, 'ping-pong'));
      expect(r.subjects).toEqual(['p1', 'p3']);
      expect(r.leaks).toEqual([
        ['p1', 'p3'],
        ['p3', 'p1'],
      ]);
      expect(r.directLeaks.find((e) => e.from === 'p3')?.reason).toMatch(/answers on endpoint/);
      // pong could come to hold ping's back endpoint, through ping's grant on pong's endpoint
      const back = reachOf(r, 'endpoint 5');
      expect(back.map((h) => h.subject)).toEqual(['p1', 'p3']);
      expect(back[1]?.via.path.map((e) => e.reason)).toEqual(['p1 can grant through endpoint 6, which p3 reads']);
    } finally {
      await system.close();
    }
  });

  it('a write-only capability gives a flow and no leak; without grant nothing travels', async () => {
    const base = EXAMPLES['ping-pong'] as SystemSpec;
    const spec: SystemSpec = { ...base, caps: [{ holder: 'ping', name: 'pong', target: 'pong-service', rights: 'w' }], input: () => null };
    const system = await running(spec, 0);
    try {
      const r = analyse(subjectsOfKernel(system.kernel, 'write-only'));
      expect(r.leaks).toEqual([]);
      expect(r.flows).toContainEqual(['p1', 'p3']);
    } finally {
      await system.close();
    }
  });

  it('across a restart: a non-persistent process and what it could reach are gone, and the diff says so', async () => {
    const base = EXAMPLES['ping-pong'] as SystemSpec;
    const spec: SystemSpec = { ...base, processes: base.processes.map((p) => (p.name === 'ping' ? { ...p, persistent: false } : p)), input: () => null };
    const system = await running(spec, 0);
    try {
      const before = analyse(subjectsOfKernel(system.kernel, 'before'));
      await system.powerLoss({ keepBatches: 0 });
      await system.restart();
      const after = analyse(subjectsOfKernel(system.kernel, 'after'));
      const diff = diffAuthority(before, after);
      expect(before.leaks.length).toBeGreaterThan(0);
      expect(diff.leaksRemoved).toEqual(before.leaks);
      expect(Object.keys(diff.reach)).toContain('p1');
    } finally {
      await system.close();
    }
  });
});
