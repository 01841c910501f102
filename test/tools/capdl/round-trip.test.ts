import { describe, expect, it } from 'vitest';
import { parseRights, type SystemSpec } from '../../../kernel/index.ts';
import { EXAMPLES } from '../../../examples/index.ts';
import { System } from '../../../restart-agent/index.ts';
import { MemoryDisk } from '../../../store/index.ts';
import { exportCapdl, projectModel, readCapdl, specOfKernel } from '../../../tools/capdl/index.ts';
import { WHOLE_GRAMMAR } from './grammar.ts';

/** A description as plain data, caps as a set, defaults made explicit, so equal systems compare equal. */
function plain(spec: SystemSpec): unknown {
  const ownerRights = 'rwg';
  return {
    name: spec.name,
    description: spec.description,
    programs: Object.keys(spec.programs).filter((p) => spec.processes.some((q) => q.program === p)).sort(),
    processes: spec.processes.map((p) => ({ name: p.name, program: p.program, args: p.args ?? [], persistent: p.persistent ?? true, policy: p.policy ?? null, provides: p.provides ?? [], requires: p.requires ?? [], notices: p.notices ?? null })),
    endpoints: spec.endpoints ?? [],
    storage: spec.storage ?? [],
    gatekeepers: spec.gatekeepers ?? [],
    caps: (spec.caps ?? []).map((c) => ({ holder: c.holder, name: c.name, target: c.target, rights: parseRights(c.rights ?? ownerRights), badge: c.badge ?? 0 })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  };
}

function reimport(text: string, file: string, strict = false): SystemSpec {
  return projectModel(readCapdl(text, file), { strict, programsOf: (n) => EXAMPLES[n]?.programs }).spec;
}

describe('capDL round trips', () => {
  for (const [name, spec] of Object.entries(EXAMPLES)) {
    it(`${name}: export, then import (strictly: nothing dropped) gives back the same system`, () => {
      const text = exportCapdl(spec);
      expect(plain(reimport(text, `${name}.cdl`, true))).toEqual(plain(spec));
    });
  }

  it('names capDL cannot spell, weak rights, badged storage and storage data survive the trip', () => {
    const odd: SystemSpec = {
      name: 'odd names',
      description: 'what capDL has no word for',
      programs: EXAMPLES['ping-pong']?.programs ?? {},
      processes: [
        { name: '1st process', program: 'ping', args: [{ a: [1, 'two'] }], persistent: false, policy: { mode: 'temporary' } },
        { name: 'objects', program: 'pong' },
      ],
      endpoints: [{ name: 'ep with spaces', owner: '1st process' }],
      storage: [{ name: 'caps', owner: 'objects', data: { nested: { list: [1, 2, 3] } } }],
      caps: [
        { holder: 'objects', name: 'a/b', target: 'ep with spaces', rights: 'rk', badge: 9 },
        { holder: '1st process', name: 'store it', target: 'caps', rights: 'rw', badge: 4 },
        { holder: 'objects', name: 'weakling', target: 'ep with spaces', rights: 'rk' },
      ],
    };
    const text = exportCapdl(odd);
    expect(plain(projectModel(readCapdl(text, 'odd.cdl'), { strict: true, programsOf: () => odd.programs }).spec)).toEqual(plain(odd));
  });

  it('capDL → import → export → import is stable', () => {
    const once = reimport(WHOLE_GRAMMAR, 'whole.cdl');
    const twice = reimport(exportCapdl(once), 'whole.cdl');
    const thrice = reimport(exportCapdl(twice), 'whole.cdl');
    expect(plain(twice)).toEqual(plain(once));
    expect(plain(thrice)).toEqual(plain(twice));
    expect(exportCapdl(thrice)).toBe(exportCapdl(twice));
  });

  it('a running system exported from its live kernel reads back with the same processes and capabilities', async () => {
    const spec = EXAMPLES['ping-pong'] as SystemSpec;
    const system = await System.create({ spec, store: { backend: 'memory', disk: new MemoryDisk() }, seed: 3 });
    try {
      await system.run(30);
      const live = specOfKernel(system.kernel, spec.programs, 'ping-pong', 'live');
      const back = reimport(exportCapdl(live), 'live.cdl', true);
      expect(plain({ ...back, programs: spec.programs })).toEqual(plain(live));
      expect(live.processes.map((p) => p.program)).toEqual(['ping', 'pong']);
      expect(live.caps?.map((c) => `${c.holder} ${c.name} -> ${c.target}`)).toContain('p1 pong -> pong-service');
      // an endpoint whose owner deleted its own capability is still exported, still its owner's
      system.kernel.deleteSlot(1, 1);
      const without = specOfKernel(system.kernel, spec.programs, 'ping-pong', 'live');
      expect(without.endpoints).toContainEqual({ name: 'endpoint-5', owner: 'p1' });
    } finally {
      await system.close();
    }
  });
});
