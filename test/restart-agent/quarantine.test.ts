/**
 * A registration naming a program that no longer exists is quarantined while the rest
 * restarts: the report names the registration and the program, references to the quarantined
 * process's endpoints become empty slots and report lines, and fidelity (I3) still holds.
 */
import { describe, expect, it } from 'vitest';
import type { SystemSpec } from '../../kernel/index.ts';
import { System } from '../../restart-agent/index.ts';
import { MemoryDisk } from '../../store/index.ts';
import { counter } from './support/specs.ts';

/** The counter system without its 'counter' program. */
const withoutCounter: SystemSpec = { ...counter, programs: { 'counter-client': counter.programs['counter-client'] as SystemSpec['programs'][string] } };

async function counterOnDisk() {
  const disk = new MemoryDisk();
  const system = await System.create({ spec: counter, store: { backend: 'memory', disk }, seed: 3 });
  await system.run(10);
  const labels = new Map(system.labels);
  await system.close();
  const id = (label: string): number => labels.get(label) as number;
  return { disk, counterPid: id('counter'), clientPid: id('client'), requests: id('requests'), ticks: id('ticks') };
}

describe('a registration whose program is gone', () => {
  it('is quarantined with a reason naming the program; the rest is restored and I3 holds', async () => {
    const { disk, counterPid, clientPid, requests, ticks } = await counterOnDisk();
    const { system, report } = await System.open({ spec: withoutCounter, store: { backend: 'memory', disk }, seed: 3 });

    expect(report.quarantined).toHaveLength(1);
    expect(report.quarantined[0]?.record).toBe(`registration ${counterPid}`);
    expect(report.quarantined[0]?.reason).toMatch(/'counter'/);
    expect(report.restored.map((r) => [r.pid, r.program])).toEqual([[clientPid, 'counter-client']]);
    expect(system.kernel.objects.has(counterPid)).toBe(false);

    // The client's reference to the counter's endpoint is reported and left as an empty slot.
    expect(report.lostRefs).toEqual([expect.objectContaining({ pid: clientPid, name: 'counter', target: requests })]);
    const client = system.kernel.process(clientPid);
    expect(client.status).toBe('ready');
    expect(client.named.has('counter')).toBe(false);
    expect([...client.named.keys()]).toEqual(['ticks']);
    expect(client.named.get('ticks')?.object.id).toBe(ticks);
    for (const [, cap] of client.cspace.entries()) expect(cap.object.id).not.toBe(requests);

    for (const name of ['I3 fidelity', 'I4 no amplification', 'I5 revocation', 'I6 unique IDs']) expect(report.invariants[name], name).toBe('ok');
    await system.close();
  });

  it('is kept, not deleted: booting again with the program back restores it and the reference to it', async () => {
    const { disk, counterPid, clientPid, requests } = await counterOnDisk();
    const quarantinedBoot = await System.open({ spec: withoutCounter, store: { backend: 'memory', disk }, seed: 3 });
    await quarantinedBoot.system.close();

    const { system, report } = await System.open({ spec: counter, store: { backend: 'memory', disk }, seed: 3 });
    expect(report.quarantined).toEqual([]);
    expect(report.lostRefs).toEqual([]);
    expect(report.restored.map((r) => r.pid).sort()).toEqual([counterPid, clientPid].sort());
    expect(system.kernel.process(clientPid).named.get('counter')?.object.id).toBe(requests);
    expect(report.invariants['I3 fidelity']).toBe('ok');
    // And the system works again: ticks reach the counter through the restored reference.
    const countAt = (): number => (system.kernel.process(counterPid).state as { count: number }).count;
    const before = countAt();
    expect(before).toBeGreaterThan(0);
    await system.run(12);
    expect(countAt()).toBeGreaterThan(before);
    await system.close();
  });
});
