import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exportState } from '../../../kernel/index.ts';
import { EXAMPLES } from '../../../examples/index.ts';
import { System, formatReport, violations, type BuiltInModelName, type RestartReport } from '../../../restart-agent/index.ts';
import { listCheckpoints } from '../../../restart-agent/checkpoint/index.ts';
import { MemoryDisk, StoreError } from '../../../store/index.ts';
import { assertProperty } from '../../support/seed.ts';

const NAMES = ['counter', 'ping-pong', 'bank', 'transfer', 'flood'] as const;

async function fresh(name: string, model: BuiltInModelName, every: number, seed = 1) {
  const disk = new MemoryDisk();
  const spec = EXAMPLES[name];
  if (spec === undefined) throw new Error(`no example ${name}`);
  const system = await System.create({ spec, store: { backend: 'memory', disk }, seed, model, checkpointEvery: every });
  return { system, disk };
}

function expectClean(report: RestartReport): void {
  expect(violations(report.invariants), formatReport(report)).toEqual([]);
  expect(report.invariants['I10 checkpoint equivalence'], formatReport(report)).toBe('ok');
}

describe('the checkpoint model at System level', () => {
  it('resumes exactly at the newest checkpoint and reports the cranks lost', async () => {
    const { system } = await fresh('counter', 'checkpoint', 5);
    await system.run(12);
    const atLoss = system.now;
    const before = await listCheckpoints(system.store);
    const newest = before[0];
    if (newest === undefined) throw new Error('no checkpoint taken');
    await system.powerLoss();
    const report = await system.restart();
    expectClean(report);
    expect(report.checkpoint?.seq).toBe(newest.seq);
    expect(report.lostCranks).toBe(atLoss - newest.crank);
    expect(report.lostCranks).toBeGreaterThan(0);
    await system.close();
  });

  it('a power loss in the middle of writing a checkpoint leaves the previous one, which is used', async () => {
    const { system } = await fresh('flood', 'checkpoint', 0);
    await system.run(30);
    const previous = (await listCheckpoints(system.store))[0];
    const cut = await system.checkpoint({ interruptAfterBatches: 1 });
    expect(cut.complete).toBe(false);
    const report = await system.restart();
    expectClean(report);
    expect(report.checkpoint?.seq).toBe(previous?.seq);
    // The cut-short write left blocks no checkpoint names; the boot swept them.
    const again = await system.checkpoint();
    expect(again.complete).toBe(true);
    await system.close();
  });

  it('a restored kernel equals the kernel at its checkpoint, crank for crank afterwards (I10)', async () => {
    const { system, disk } = await fresh('ping-pong', 'checkpoint', 0);
    await system.run(7);
    await system.checkpoint();
    const expected = exportState(system.kernel);
    await system.run(5);
    // New objects get fresh IDs after a restart (IDs are never reused), so compare what programs see.
    const statesOf = (s: System) => [...s.kernel.processes()].map((p) => [p.id, p.status, p.state]);
    const after = statesOf(system);
    await system.close();
    const { system: reopened } = await System.open({ spec: EXAMPLES['ping-pong']!, store: { backend: 'memory', disk } });
    expect(reopened.model).toBe('checkpoint');
    expect(exportState(reopened.kernel)).toEqual(expected);
    await reopened.run(5);
    expect(statesOf(reopened)).toEqual(after);
    await reopened.close();
  });

  it('refuses to boot a store whose newest checkpoint lacks a block, naming the checkpoint and the block', async () => {
    const { system } = await fresh('counter', 'checkpoint', 0);
    await system.run(4);
    await system.checkpoint();
    await system.run(4);
    const newest = await system.checkpoint();
    const tx = system.store.begin();
    const manifest = (await listCheckpoints(system.store))[0];
    tx.deleteBlock(manifest!.root);
    await system.store.commit(tx, { sync: true });
    await system.powerLoss();
    const refused = await system.restart().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StoreError);
    expect((refused as StoreError).record).toBe(`checkpoint ${newest.seq}`);
    expect((refused as StoreError).message).toContain(`root block ${manifest!.root} is missing`);
  });

  it('keeps the last K checkpoints', async () => {
    const disk = new MemoryDisk();
    const system = await System.create({ spec: EXAMPLES.counter!, store: { backend: 'memory', disk }, model: 'checkpoint', checkpointEvery: 2, checkpointKeep: 2 });
    await system.run(20);
    const kept = await listCheckpoints(system.store);
    expect(kept.map((c) => c.seq).length).toBe(2);
    await system.close();
  });

  it('under both, storage committed after the checkpoint overlays it, and the report says so', async () => {
    const { system } = await fresh('counter', 'both', 1000);
    await system.run(6);
    await system.powerLoss();
    const report = await system.restart();
    expect(violations(report.invariants), formatReport(report)).toEqual([]);
    expect(report.checkpoint?.overlaidStorage.length).toBeGreaterThan(0);
    expect(formatReport(report)).toMatch(/explicit: \d+ storage object\(s\) newer in the database/);
    await system.close();
  });

  it('under both, a revocation committed after the checkpoint stays revoked: the restart drops what the database no longer names', async () => {
    const { system } = await fresh('bank', 'both', 0);
    // Input 200 fires the teller: the bank revokes its grant, and that commit is synced.
    let cranks = 0;
    while (system.inputIndex <= 200 && cranks < 5_000) cranks += await system.run(50);
    await system.run(3);
    await system.powerLoss();
    const report = await system.restart();
    expect(violations(report.invariants), formatReport(report)).toEqual([]);
    expect(report.invariants['I5 revocation']).toBe('ok');
    expect(report.checkpoint?.droppedCaps.length, formatReport(report)).toBeGreaterThan(0);
    expect(formatReport(report)).toMatch(/capabilit(y|ies) revoked since the checkpoint dropped/);
    await system.close();
  });

  it('holds every invariant over random runs, checkpoint intervals and power losses', async () => {
    await assertProperty(
      fc.asyncProperty(
        fc.constantFrom(...NAMES),
        fc.constantFrom<BuiltInModelName>('checkpoint', 'both'),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.record({ cranks: fc.integer({ min: 0, max: 25 }), interrupt: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }) }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 1000 }),
        async (name, model, every, rounds, seed) => {
          const { system } = await fresh(name, model, every, seed);
          for (const round of rounds) {
            await system.run(round.cranks);
            if (round.interrupt !== undefined) {
              const out = await system.checkpoint({ interruptAfterBatches: round.interrupt });
              if (out.complete) await system.powerLoss();
            } else {
              await system.powerLoss();
            }
            const report = await system.restart();
            expectClean(report);
          }
          await system.close();
        },
      ),
      { numRuns: 60, replay: 'npx vitest run test/restart-agent/checkpoint/system-model.test.ts' },
    );
  });
});
