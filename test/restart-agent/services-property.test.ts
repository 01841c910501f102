/**
 * Property: for any graph of services, a description whose requirements have no cycle starts
 * every provider before each process that requires it — at creation and after a power loss —
 * and one with a cycle is refused by checkSpec, naming a cycle that is really in it.
 * The fast-check seed is printed on failure; CAPSIM_SEED=<seed> replays it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSpec, KernelUsageError, type Program, type SystemSpec } from '../../kernel/index.ts';
import { System } from '../../restart-agent/system.ts';
import { MemoryDisk } from '../../store/index.ts';
import { assertProperty } from '../support/seed.ts';

/** Appends its own name to the shared log (a storage object) the moment its init runs. */
const member: Program<null> = {
  init(ctx) {
    const log = ctx.lookup('log') as number;
    const { order } = ctx.read(log) as { order: string[] };
    ctx.write(log, { order: [...order, String(ctx.self.args[0])] });
    return null;
  },
  receive: (_ctx, state) => state,
};
const keeper: Program<null> = { init: () => null, receive: (_ctx, state) => state };

/** n processes s0..s(n-1); `edges` [a, b] means sa requires sb's service. */
function graphSpec(n: number, edges: readonly (readonly [number, number])[]): SystemSpec {
  const names = Array.from({ length: n }, (_, i) => `s${i}`);
  return {
    name: 'service-dag',
    description: 'processes that require each other',
    programs: { member, keeper },
    processes: [
      { name: 'keeper', program: 'keeper' },
      // Listed requirers first (they get the lower IDs), so that ID order alone would start them too early.
      ...names.map((name, i) => ({
        name,
        program: 'member',
        args: [name],
        provides: [{ service: `svc${i}`, endpoint: `${name}-in` }],
        requires: [...new Set(edges.filter(([a]) => a === i).map(([, b]) => `svc${b}`))],
      })).reverse(),
    ],
    endpoints: names.map((name) => ({ name: `${name}-in`, owner: name })),
    storage: [{ name: 'log', owner: 'keeper', data: { order: [] } }],
    caps: names.map((name) => ({ holder: name, name: 'log', target: 'log' })),
  };
}

function respectsRequirements(order: readonly string[], edges: readonly (readonly [number, number])[]): boolean {
  return edges.every(([a, b]) => order.lastIndexOf(`s${b}`) < order.lastIndexOf(`s${a}`));
}

const dag = fc.integer({ min: 2, max: 6 }).chain((n) =>
  fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })).filter(([a, b]) => a > b), { maxLength: 10 })),
);

describe('services over random graphs', () => {
  it('without a cycle: providers first, at creation and after a power loss', async () => {
    await assertProperty(
      fc.asyncProperty(dag, async ([n, edges]) => {
        const system = await System.create({ spec: graphSpec(n, edges), store: { backend: 'memory', disk: new MemoryDisk() }, syncEvery: 1 });
        try {
          const logOf = (): string[] => {
            const keeperProcess = [...system.kernel.processes()].find((p) => p.program === 'keeper');
            const cap = keeperProcess?.named.get('log');
            return cap?.object.kind === 'storage' ? (cap.object.data as { order: string[] }).order : [];
          };
          expect(respectsRequirements(logOf(), edges), `created: ${JSON.stringify(logOf())} for ${JSON.stringify(edges)}`).toBe(true);
          await system.powerLoss();
          await system.restart();
          const after = logOf().slice(n);
          expect(after).toHaveLength(n);
          expect(respectsRequirements(after, edges), `restarted: ${JSON.stringify(after)} for ${JSON.stringify(edges)}`).toBe(true);
        } finally {
          await system.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('with a cycle: refused, naming a cycle of the graph', async () => {
    await assertProperty(
      fc.asyncProperty(dag, fc.nat(), async ([n, edges], pick) => {
        // An edge and its reverse make a cycle of two, whatever else the graph holds.
        const [a, b] = edges.length > 0 ? (edges[pick % edges.length] as [number, number]) : [1, 0];
        const cyclic = [...edges, [a, b] as const, [b, a] as const];
        let message = '';
        try {
          checkSpec(graphSpec(n, cyclic));
        } catch (error) {
          if (!(error instanceof KernelUsageError)) throw error;
          message = error.message;
        }
        const named = /cycle \(([^)]*)\)/.exec(message);
        expect(named, message).not.toBeNull();
        const steps = (named?.[1] ?? '').split(' requires a service of ').map((s) => Number(s.slice(1)));
        expect(steps[0]).toBe(steps.at(-1));
        for (let i = 0; i + 1 < steps.length; i++) expect(cyclic.some(([x, y]) => x === steps[i] && y === steps[i + 1]), `${message}`).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
