/**
 * boot-chain: the restart agent brings venti, fossil and the cpus up in dependency order, and
 * a chain broken at the file server leaves the admin process working.
 */
import { describe, expect, it } from 'vitest';
import type { ObjectId, ProgramTable, SystemSpec } from '../../kernel/index.ts';
import { System } from '../../restart-agent/index.ts';
import { system as bootChain } from '../../examples/boot-chain.ts';
import { expectSound, fresh, idOf, proc, runToIdle, stored } from './support.ts';

const groupOf = (order: ObjectId[][], pid: ObjectId): number => order.findIndex((g) => g.includes(pid));

/** The boot chain after the file server's program was removed: inputs only for cpus and the console. */
function withoutFossil(): SystemSpec {
  const { fossil: _gone, ...programs } = bootChain.programs;
  return {
    ...bootChain,
    programs: programs as ProgramTable,
    input: (i) => (i >= 6 ? null : i % 2 === 0 ? { to: 'cpu-1-jobs', payload: { run: '/bin/job0' } } : { to: 'console', payload: 'status' }),
  };
}

describe('boot-chain', () => {
  it('works end to end: files written reach the block store, and both cpus run jobs read from fossil', async () => {
    const { system } = await fresh(bootChain);
    await runToIdle(system);
    const id = (l: string): ObjectId => idOf(system.labels, l);
    const arena = stored(system, id('venti'), 'arena') as { blocks: Record<string, string> };
    expect(Object.values(arena.blocks)).toContain('echo /bin/job0');
    for (const cpu of ['cpu-1', 'cpu-2']) expect((proc(system, id(cpu)).state as { ran: number }).ran, cpu).toBe(100);
    expect((stored(system, id('admin'), 'log') as { handled: number }).handled).toBe(100); // every 4th of 400 inputs
    await system.close();
  });

  it('restarts in dependency order: venti before fossil before both cpus; the admin is not part of the chain', async () => {
    const { system } = await fresh(bootChain);
    await system.run(50);
    const id = (l: string): ObjectId => idOf(system.labels, l);
    const [venti, fossil, cpu1, cpu2, admin] = ['venti', 'fossil', 'cpu-1', 'cpu-2', 'admin'].map(id) as ObjectId[];
    await system.powerLoss();
    const report = await system.restart();
    expectSound(report, 'boot-chain restart');
    const order = report.startOrder;
    expect(groupOf(order, venti as ObjectId)).toBeGreaterThanOrEqual(0);
    expect(groupOf(order, venti as ObjectId)).toBeLessThan(groupOf(order, fossil as ObjectId));
    expect(groupOf(order, fossil as ObjectId)).toBeLessThan(groupOf(order, cpu1 as ObjectId));
    expect(groupOf(order, fossil as ObjectId)).toBeLessThan(groupOf(order, cpu2 as ObjectId));
    // No group holds the admin together with a member of the chain: nothing ties them.
    expect(order.find((g) => g.includes(admin as ObjectId))).toEqual([admin]);
    // And the restored chain serves again.
    const ranAtRestart = (proc(system, cpu1 as ObjectId).state as { ran: number }).ran;
    expect(ranAtRestart).toBe(0); // a cpu's counters are volatile: they start over
    await system.run(60);
    expect((proc(system, cpu1 as ObjectId).state as { ran: number }).ran).toBeGreaterThan(0);
    await system.close();
  });

  it('a file server that cannot come back is quarantined; the cpus lose it, the admin still works', async () => {
    const { system, disk } = await fresh(bootChain);
    await system.run(50);
    const labels = new Map(system.labels);
    const id = (l: string): ObjectId => idOf(labels, l);
    const handledBefore = (stored(system, id('admin'), 'log') as { handled: number }).handled;
    expect(handledBefore).toBeGreaterThan(0);
    await system.powerLoss();

    const { system: broken, report } = await System.open({ spec: withoutFossil(), store: { backend: 'memory', disk }, seed: 1 });
    expectSound(report, 'boot without fossil');
    expect(report.quarantined).toEqual([expect.objectContaining({ record: `registration ${id('fossil')}`, reason: expect.stringMatching(/'fossil'/) })]);
    const lost = report.lostRefs.map((l) => [l.pid, l.name, l.target]).sort();
    expect(lost).toEqual([
      [id('cpu-1'), 'fossil', id('files')],
      [id('cpu-2'), 'fossil', id('files')],
    ].sort());
    // The rest of the chain still starts in order; the quarantined file server is not in it.
    expect(report.startOrder.flat()).not.toContain(id('fossil'));
    expect(groupOf(report.startOrder, id('venti'))).toBeGreaterThanOrEqual(0);

    await broken.run(100);
    expect((proc(broken, id('cpu-1')).state as { unmounted: number; ran: number })).toEqual({ ran: 0, unmounted: 3 });
    const handledAfter = (stored(broken, id('admin'), 'log') as { handled: number }).handled;
    expect(handledAfter).toBe(handledBefore + 3);
    await broken.close();
  });
});
