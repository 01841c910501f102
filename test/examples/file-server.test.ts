/**
 * file-server: handles are badged capabilities with per-badge state; a client that dies —
 * by a fault under a temporary policy, or by kernel.terminate — leaves no handle behind,
 * whether the server notices on a sweep or at its next restart.
 */
import { describe, expect, it } from 'vitest';
import type { ObjectId, SystemSpec } from '../../kernel/index.ts';
import type { System } from '../../restart-agent/index.ts';
import { SCRIPT, system as fileServer } from '../../examples/file-server.ts';
import { expectSound, fresh, idOf, proc, runToIdle, stored } from './support.ts';

interface Table {
  next: number;
  handles: Record<string, { file: string; offset: number }>;
  files: Record<string, string>;
}

/** The example with only its first n inputs. */
const firstInputs = (n: number): SystemSpec => ({ ...fileServer, input: (i) => (i < n ? (SCRIPT[i] ?? null) : null) });
const BASE_NAMES = ['fs', 'fs-admin', 'table'];

function serverView(system: System, server: ObjectId): { table: Table; names: string[] } {
  return { table: stored(system, server, 'table') as unknown as Table, names: [...proc(system, server).named.keys()].sort() };
}

async function upTo(n: number) {
  const { system } = await fresh(firstInputs(n));
  await runToIdle(system);
  const labels = new Map(system.labels);
  return { system, id: (l: string): ObjectId => idOf(labels, l) };
}

describe('file-server', () => {
  it('mints one badged handle per open, keeps state per badge, and the first sweep (all alive) takes nothing', async () => {
    const { system, id } = await upTo(7);
    const { table, names } = serverView(system, id('server'));
    expect(table.handles).toEqual({
      '1': { file: 'notes', offset: 'from alice. '.length },
      '2': { file: 'todo', offset: 'buy milk'.length },
      '3': { file: 'notes', offset: 'from bob. '.length },
    });
    expect(table.files).toEqual({ notes: 'from alice. from bob. ', todo: 'buy milk' });
    expect(names).toEqual([...BASE_NAMES, 'client:1', 'client:2', 'client:3', 'handle:1', 'handle:2', 'handle:3'].sort());
    // Each client holds its handles by name, each a capability badged with its handle number.
    const alice = proc(system, id('alice'));
    expect([...alice.named.keys()].filter((n) => n.startsWith('file:')).sort()).toEqual(['file:notes', 'file:todo']);
    expect(alice.named.get('file:notes')?.badge).toBe(1);
    expect(proc(system, id('bob')).named.get('file:notes')?.badge).toBe(3);
    await system.close();
  });

  it('a client that faults is terminated (temporary policy); the next sweep revokes its handles and the table shrinks back', async () => {
    const { system, id } = await upTo(SCRIPT.length);
    expect(proc(system, id('alice')).status).toBe('exited');
    expect(system.supervisor.events).toEqual([expect.objectContaining({ pid: id('alice'), action: 'terminated' })]);
    const { table, names } = serverView(system, id('server'));
    expect(Object.keys(table.handles)).toEqual(['3']);
    expect(names).toEqual([...BASE_NAMES, 'client:3', 'handle:3'].sort());
    // Bob's handle still works after the sweep; alice's writes stay in the file.
    expect(table.handles['3']).toEqual({ file: 'notes', offset: 'from bob. bob again.'.length });
    expect(table.files['notes']).toBe('from alice. from bob. bob again.');
    await system.close();
  });

  it('a client ended by kernel.terminate is reclaimed on the next sweep: back to the names before any open', async () => {
    const { system, id } = await upTo(7);
    system.kernel.terminate(id('alice'));
    system.kernel.terminate(id('bob'));
    system.kernel.inject(id('fs-admin'), 'sweep');
    await runToIdle(system);
    const { table, names } = serverView(system, id('server'));
    expect(table.handles).toEqual({});
    expect(names).toEqual(BASE_NAMES);
    // No capability to the handles' grants is left anywhere: the server's service endpoint has no badged capability.
    for (const p of system.kernel.processes()) for (const [, cap] of p.cspace.entries()) expect(cap.badge, `p${p.id} ${p.program}`).toBe(0);
    await system.close();
  });

  it('a client that died before a power loss is reclaimed by the server\'s init after the restart', async () => {
    // Inputs up to the crash, not the sweep after it: the server has not noticed yet.
    const { system, id } = await upTo(8);
    expect(proc(system, id('alice')).status).toBe('exited');
    expect(Object.keys(serverView(system, id('server')).table.handles)).toEqual(['1', '2', '3']);
    await system.powerLoss();
    const report = await system.restart();
    expectSound(report, 'file-server restart');
    expect(report.lostRefs.map((l) => [l.pid, l.name]).sort()).toEqual([
      [id('server'), 'client:1'],
      [id('server'), 'client:2'],
    ]);
    const { table, names } = serverView(system, id('server'));
    expect(Object.keys(table.handles)).toEqual(['3']);
    expect(names).toEqual([...BASE_NAMES, 'client:3', 'handle:3'].sort());
    await system.close();
  });
});
