/**
 * Services that require each other (examples/service-graph.ts and small variants): providers
 * start before requirers at creation and after every power loss; a provider that faults is
 * restarted under its policy and its requirers are told; a provider its policy ends is
 * announced as stopped; cycles and unknown services are refused when the description is checked.
 */
import { describe, expect, it } from 'vitest';
import { checkSpec, type Process, type Program, type SystemSpec } from '../../kernel/index.ts';
import { system as graph } from '../../examples/service-graph.ts';
import { PERSISTENCE_MODELS, System } from '../../restart-agent/system.ts';
import { MemoryDisk } from '../../store/index.ts';
import { expectInvariantsOk } from './support/harness.ts';

function named(system: System, label: string): Process {
  const p = [...system.kernel.processes()].find((q) => q.alive && (q.args[0] === label || (q.args.length === 0 && q.program === label)));
  if (p === undefined) throw new Error(`no process '${label}'`);
  return p;
}

function journal(system: System): string[] {
  const cap = named(system, 'log').named.get('journal');
  if (cap === undefined || cap.object.kind !== 'storage') throw new Error('the log service names no journal');
  return (cap.object.data as { lines: string[] }).lines;
}

/** The lines of the newest boot: from the last 'log up' that came with the applications' start. */
function lastBoot(lines: readonly string[]): string[] {
  return lines.slice(lines.lastIndexOf('log up'));
}

describe('services: start order after every restart', () => {
  it('providers start first at creation and after three power losses (explicit: the report shows it)', async () => {
    const system = await System.create({ spec: graph, store: { backend: 'memory', disk: new MemoryDisk() }, seed: 4 });
    await system.run(6);
    expect(lastBoot(journal(system)).slice(0, 3)).toEqual(['log up', 'app-1 up', 'app-2 up']);
    for (let loss = 1; loss <= 3; loss++) {
      await system.powerLoss();
      const report = await system.restart();
      expectInvariantsOk(report, `power loss ${loss}`);
      const order = report.startOrder.flat();
      const at = (label: string): number => order.indexOf(named(system, label).id);
      expect(at('names')).toBeLessThan(at('log'));
      expect(at('log')).toBeLessThan(at('app-1'));
      expect(at('log')).toBeLessThan(at('app-2'));
      await system.run(6);
      // Every init used what it requires at once: the applications' 'up' lines follow 'log up'.
      expect(lastBoot(journal(system)).slice(0, 3), `boot ${loss + 1}`).toEqual(['log up', 'app-1 up', 'app-2 up']);
    }
    await system.close();
  });

  for (const model of PERSISTENCE_MODELS) {
    it(`${model}: a provider that faults is restarted and its requirers are told, also after a power loss`, async () => {
      const system = await System.create({ spec: graph, store: { backend: 'memory', disk: new MemoryDisk() }, model, seed: 2, checkpointEvery: 10 });
      await system.powerLoss();
      await system.restart();
      await system.run(300);
      const lines = journal(system);
      const back = lines.filter((l) => l.endsWith('saw the log service come back'));
      expect(back.sort()).toEqual(['app-1 saw the log service come back', 'app-2 saw the log service come back']);
      // The log came back before it was told of: its 'log up' is before the notices' lines.
      expect(lines.lastIndexOf('log up')).toBeLessThan(lines.indexOf(back[0] as string));
      expect((named(system, 'app-1').state as { logRestarts: number }).logRestarts).toBe(1);
      expect(system.supervisor.events.map((e) => [e.program, e.action])).toContainEqual(['log', 'restarted']);
      await system.close();
    });
  }

  it('a provider its policy ends is announced as stopped; one restarted, as restarted with its generation', async () => {
    const provider: Program<null> = {
      init: () => null,
      receive(_ctx, state, message) {
        if ((message.payload as { crash?: boolean }).crash === true) throw new Error('down');
        return state;
      },
    };
    const requirer: Program<unknown[]> = { init: () => [], receive: (_ctx, state, message) => [...state, message.payload] };
    const spec = (mode: 'temporary' | 'permanent'): SystemSpec => ({
      name: 'notices',
      description: 'one provider, one requirer that keeps every notice',
      programs: { provider, requirer },
      processes: [
        { name: 'r', program: 'requirer', requires: ['s'], notices: 'r-in' },
        { name: 'p', program: 'provider', provides: [{ service: 's', endpoint: 'p-in' }], policy: { mode } },
      ],
      endpoints: [
        { name: 'p-in', owner: 'p' },
        { name: 'r-in', owner: 'r' },
      ],
      input: (i) => (i === 0 ? { to: 'p-in', payload: { crash: true } } : null),
    });
    const told = async (mode: 'temporary' | 'permanent'): Promise<unknown[]> => {
      const system = await System.create({ spec: spec(mode), store: { backend: 'memory', disk: new MemoryDisk() } });
      await system.run(20);
      const r = [...system.kernel.processes()].find((q) => q.program === 'requirer');
      await system.close();
      return r?.state as unknown[];
    };
    expect(await told('temporary')).toEqual([{ service: 's', event: 'stopped', reason: expect.stringContaining('down') }]);
    expect(await told('permanent')).toEqual([{ service: 's', event: 'restarted', generation: 1, reason: expect.stringContaining('down') }]);
  });
});

describe('services: descriptions that cannot start', () => {
  const base = (processes: SystemSpec['processes'], endpoints: SystemSpec['endpoints']): SystemSpec => ({ ...graph, processes, endpoints, storage: [], input: undefined });

  it('a cycle of requirements is refused, naming it', () => {
    const spec = base(
      [
        { name: 'a', program: 'app', provides: [{ service: 'x', endpoint: 'a-in' }], requires: ['y'] },
        { name: 'b', program: 'app', provides: [{ service: 'y', endpoint: 'b-in' }], requires: ['x'] },
      ],
      [
        { name: 'a-in', owner: 'a' },
        { name: 'b-in', owner: 'b' },
      ],
    );
    expect(() => checkSpec(spec)).toThrow(/services require each other in a cycle \((a requires a service of b requires a service of a|b requires a service of a requires a service of b)\)/);
  });

  it('an unknown service, a service provided twice and a foreign endpoint are refused', () => {
    const one = (p: SystemSpec['processes'][number]) => base([p, { name: 'b', program: 'app' }], [{ name: 'a-in', owner: 'a' }, { name: 'b-in', owner: 'b' }]);
    expect(() => checkSpec(one({ name: 'a', program: 'app', requires: ['nope'] }))).toThrow("requires service 'nope', which no process provides");
    expect(() => checkSpec(one({ name: 'a', program: 'app', provides: [{ service: 's', endpoint: 'b-in' }] }))).toThrow("provides 's' through 'b-in', which is not an endpoint it owns");
    expect(() =>
      checkSpec(
        one({
          name: 'a',
          program: 'app',
          provides: [
            { service: 's', endpoint: 'a-in' },
            { service: 's', endpoint: 'a-in' },
          ],
        }),
      ),
    ).toThrow("service 's' is provided twice");
  });
});
