/**
 * A power loss at every crank boundary of a run, then a restart (DESIGN.md I1-I3, I5, I6).
 * For each k in 0..N a fresh system with the same seed runs k cranks, loses power and restarts.
 * With syncEvery 1 every commit is durable when acknowledged, so the restored capability graph
 * must equal the one before the loss, edge for edge, and no crank of work may be lost.
 */
import { describe, expect, it } from 'vitest';
import type { SystemSpec } from '../../kernel/index.ts';
import { capabilityGraph, expectInvariantsOk, freshSystem, namedStorage, processOf } from './support/harness.ts';
import { bankFiringAt, counter, pingPong } from './support/specs.ts';

const N = 60;
const SEED = 11;

/** Runs k cranks, pulls the power, restarts; hands the state before and the report after to `check`. */
async function eachBoundary(
  spec: SystemSpec,
  check: (k: number, before: { graph: string[] }, after: Awaited<ReturnType<typeof crashAt>>) => void,
): Promise<void> {
  for (let k = 0; k <= N; k++) {
    const result = await crashAt(spec, k);
    check(k, { graph: result.graphBefore }, result);
    await result.system.close();
  }
}

async function crashAt(spec: SystemSpec, k: number) {
  const { system } = await freshSystem(spec, { seed: SEED, syncEvery: 1 });
  expect(await system.run(k)).toBe(k);
  const graphBefore = capabilityGraph(system);
  const statesBefore = new Map([...system.kernel.processes()].map((p) => [p.program, p.state]));
  await system.powerLoss();
  const report = await system.restart();
  return { system, report, graphBefore, statesBefore };
}

describe.each([
  ['counter', counter],
  ['ping-pong', pingPong],
  ['bank', bankFiringAt(8)],
])('%s: power loss at every crank boundary, syncEvery 1', (name, spec) => {
  it(`all invariants hold, nothing synced is lost, and the graph comes back edge for edge (k = 0..${N})`, async () => {
    await eachBoundary(spec, (k, before, { system, report }) => {
      const context = `${name} seed ${SEED}, power loss after ${k} cranks`;
      expectInvariantsOk(report, context);
      expect(report.lostCranks, context).toBe(0);
      expect(report.quarantined, context).toEqual([]);
      expect(report.lostRefs, context).toEqual([]);
      // Inits may name new capabilities after the restore; compare what the restore brought back.
      const restoredNames = new Set(report.restored.flatMap((r) => r.names.map((n) => `p${r.pid} ${r.program} '${n}'`)));
      const restoredGraph = capabilityGraph(system).filter((edge) => restoredNames.has(edge.slice(0, edge.indexOf(' -> '))));
      expect(restoredGraph, context).toEqual(before.graph);
    });
  });

  it('no process waits forever after the restart: every one is ready and the system makes progress', async () => {
    for (const k of [0, 1, 2, 3, 5, 8, 13, 21, 34, 55]) {
      const { system } = await crashAt(spec, k);
      const context = `${name} seed ${SEED}, power loss after ${k} cranks`;
      for (const p of system.kernel.processes()) expect(p.status, `${context}: p${p.id} ${p.program}`).toBe('ready');
      expect(await system.run(20), context).toBe(20);
      await system.close();
    }
  });
});

describe('counter: the count survives exactly (I1)', () => {
  it('after every restart the count in the process equals its storage object and the count before the loss', async () => {
    const seen = new Set<number>();
    for (let k = 0; k <= N; k++) {
      const { system, statesBefore } = await crashAt(counter, k);
      const before = (statesBefore.get('counter') as { count: number }).count;
      const p = processOf(system, 'counter');
      const after = (p.state as { count: number }).count;
      expect(after, `power loss after ${k} cranks`).toBe(before);
      expect(namedStorage(p, 'count').data, `power loss after ${k} cranks`).toEqual({ count: after });
      seen.add(after);
      await system.close();
    }
    // The run must actually count, or the equality above says nothing.
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(15);
  });
});

describe('bank: a fired teller stays fired (I5), an unfired one keeps its key (I3)', () => {
  it('at every boundary: before the firing the teller holds its named key after restart, after it never does', async () => {
    let firedRuns = 0;
    let keyedRuns = 0;
    for (let k = 0; k <= N; k++) {
      const { system, report, statesBefore, graphBefore } = await crashAt(bankFiringAt(8), k);
      const context = `bank seed ${SEED}, power loss after ${k} cranks`;
      const teller = processOf(system, 'teller');
      const bankProcess = processOf(system, 'bank');
      const service = bankProcess.named.get('bank-service')?.object;
      expect(service, context).toBeDefined();
      if ((statesBefore.get('bank') as { fired: boolean }).fired) {
        firedRuns++;
        expect(teller.named.has('bank'), context).toBe(false);
        for (const [slot, cap] of teller.cspace.entries()) expect(cap.object, `${context}: teller slot ${slot}`).not.toBe(service);
        // The revoked grant itself never comes back...
        expect(report.restored.find((r) => r.program === 'bank')?.names, context).not.toContain('teller-grant');
        // ...and the bank, which saved that it fired the teller, does not hire it anew.
        await system.run(15);
        expect(processOf(system, 'bank').named.has('teller-grant'), context).toBe(false);
        expect((processOf(system, 'bank').state as { fired: boolean }).fired, context).toBe(true);
        expect(processOf(system, 'teller').named.has('bank'), context).toBe(false);
      } else if (graphBefore.some((e) => e.includes(`teller 'bank'`))) {
        keyedRuns++;
        const key = teller.named.get('bank');
        expect(key?.object, context).toBe(service);
        expect(key?.badge, context).toBe(7);
      }
      await system.close();
    }
    expect(firedRuns).toBeGreaterThan(10);
    expect(keyedRuns).toBeGreaterThan(10);
  });
});
