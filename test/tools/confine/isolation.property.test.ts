/**
 * I11 as a property: processes running random scripts of operations — keeping a secret in
 * module state, on the global object, on shared intrinsics, in RegExp's last match, on
 * Error.prototype; reaching for timers, process, require, Function — never observe another
 * process's secret except through IPC. The same property run on the programs unconfined (as
 * they were before) finds module state shared, so it can fail.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { instantiate, Kernel, type ProgramTable, type SystemSpec } from '../../../kernel/index.ts';
import { loadSystemModule } from '../../../tools/cli/load-system.ts';
import { assertProperty, propertyParams } from '../../support/seed.ts';
import { system as unconfined, type Op } from './fixtures/actor.ts';

const OPS: Op[] = ['setModule', 'readModule', 'setGlobal', 'readGlobal', 'setIntrinsic', 'readIntrinsic', 'regexp', 'readRegexp', 'setError', 'readError', 'ambient', 'send'];
/** The operations safe to run unconfined in the test's own process (no global or intrinsic is touched). */
const HOST_SAFE_OPS: Op[] = ['setModule', 'readModule', 'send'];

const scripts = (ops: Op[]) => fc.array(fc.array(fc.constantFrom(...ops), { minLength: 1, maxLength: 8 }), { minLength: 2, maxLength: 4 });

interface Observation {
  secret: string;
  observed: string[];
  received: string[];
}

/** Runs one process per script, in a ring (each holds a send capability to the next), ticking each `ticks` times. */
function runActors(programs: ProgramTable, scriptsOf: Op[][], seed: number, ticks: number): Observation[] {
  const n = scriptsOf.length;
  const names = scriptsOf.map((_, i) => `p${i}`);
  const spec: SystemSpec = {
    name: 'actors',
    description: 'isolation property',
    programs,
    processes: scriptsOf.map((script, i) => ({ name: names[i] as string, program: 'actor', args: [`secret-${names[i]}`, script] })),
    endpoints: names.map((name) => ({ name: `${name}-in`, owner: name })),
    caps: names.map((name, i) => ({ holder: name, name: 'next', target: `${names[(i + 1) % n]}-in`, rights: 'w' })),
  };
  const kernel = new Kernel({ programs, seed, schedule: 'seeded' });
  const wiring = instantiate(kernel, spec);
  kernel.startAll();
  for (let t = 0; t < ticks; t++) {
    for (const name of names) kernel.inject(wiring.endpoints.get(`${name}-in`) as number, 'tick');
    kernel.run(1000);
  }
  return names.map((name) => {
    const p = kernel.process(wiring.processes.get(name) as number);
    expect(p.lastFault, `${name} faulted`).toBeNull();
    const state = p.state as { observed: string[]; received: string[] };
    return { secret: `secret-${name}`, observed: state.observed, received: state.received };
  });
}

/** What breaks I11 in one run: a secret seen that is neither the process's own nor one that came by IPC. */
function leaks(observations: Observation[]): string[] {
  const found: string[] = [];
  for (const o of observations) {
    for (const seen of o.observed) {
      if (seen.startsWith('ambient ') && !/: (undefined|blocked)$/.test(seen)) found.push(`${o.secret} reached ${seen}`);
      for (const other of observations) if (other.secret !== o.secret && seen.includes(other.secret) && !o.received.includes(other.secret)) found.push(`${o.secret} saw ${other.secret}`);
    }
  }
  return found;
}

describe('isolation (I11) of confined programs', () => {
  test('no process observes another process\'s state except through IPC, whatever it tries', async () => {
    const confined = (await loadSystemModule('test/tools/confine/fixtures/actor.ts')).programs;
    await assertProperty(
      fc.property(scripts(OPS), fc.integer({ min: 1, max: 1_000_000 }), (scriptsOf, seed) => {
        expect(leaks(runActors(confined, scriptsOf, seed, 3))).toEqual([]);
      }),
      { numRuns: 60, replay: 'npx vitest run test/tools/confine/isolation.property.test.ts' },
    );
  });

  test('the same property run unconfined finds a leak (so the check can fail)', () => {
    const details = fc.check(
      fc.property(scripts(HOST_SAFE_OPS), fc.integer({ min: 1, max: 1_000_000 }), (scriptsOf, seed) => leaks(runActors(unconfined.programs, scriptsOf, seed, 3)).length === 0),
      propertyParams(200),
    );
    expect(details.failed).toBe(true);
  });
});
