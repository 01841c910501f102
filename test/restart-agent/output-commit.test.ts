/**
 * Output commit: an answer leaves the machine only once the work it reports is durable under
 * the persistence model, in order, and the history says how long each was held. With the
 * unsafe release a client is told ok for work a power loss then undoes, and I13 says so.
 */
import { describe, expect, it } from 'vitest';
import { System, type OutputRelease, type BuiltInModelName } from '../../restart-agent/index.ts';
import { MemoryDisk } from '../../store/index.ts';
import { system as kv } from '../../examples/kv.ts';
import { checkDurable, checkLinearizable } from '../../tools/testing/index.ts';

async function kvSystem(model: BuiltInModelName, release: OutputRelease, extra: { syncEvery?: number; checkpointEvery?: number } = {}): Promise<System> {
  return System.create({ spec: kv, store: { backend: 'memory', disk: new MemoryDisk() }, seed: 1, model, release, syncEvery: extra.syncEvery ?? 4, trace: 'full', ...(extra.checkpointEvery !== undefined ? { checkpointEvery: extra.checkpointEvery } : {}) });
}

describe('output commit', () => {
  it('explicit: an answer waits for the sync of its commit, and says how long it waited', async () => {
    const sys = await kvSystem('explicit', 'safe', { syncEvery: 4 });
    await sys.run(12);
    const answers = sys.clients.history.filter((e) => e.type === 'ok');
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.some((e) => e.type === 'ok' && e.heldCranks > 0)).toBe(true);
    // The trace says it too.
    expect(sys.kernel.trace.events().some((e) => e.ev === 'note' && /leaves the machine, held \d+ crank/.test(e.text))).toBe(true);
    await sys.close();
  });

  it('checkpoint: an answer waits for a checkpoint covering its crank', async () => {
    const sys = await kvSystem('checkpoint', 'safe', { checkpointEvery: 5 });
    await sys.run(20);
    const held = sys.clients.history.flatMap((e) => (e.type === 'ok' ? [e.heldCranks] : []));
    expect(held.length).toBeGreaterThan(0);
    expect(Math.max(...held)).toBeGreaterThan(0);
    expect(Math.max(...held)).toBeLessThanOrEqual(5);
    await sys.close();
  });

  for (const model of ['explicit', 'checkpoint', 'both'] as const) {
    it(`${model}: no client is told of work a power loss undoes (I13), at any crank`, async () => {
      for (let at = 1; at <= 14; at++) {
        const sys = await kvSystem(model, 'safe', { syncEvery: 3, checkpointEvery: 4 });
        await sys.run(at);
        await sys.powerLoss({ keepBatches: 0 });
        const report = await sys.restart();
        expect(report.invariants['I13 output commit'], `power loss after crank ${at}`).toBe('ok');
        expect(checkDurable(sys.clients.history, await sys.view(), kv.reflects as never).verdict, `crank ${at}`).toBe('ok');
        await sys.run(30);
        expect(checkLinearizable(sys.clients.history, kv.model as never).verdict, `crank ${at}`).toBe('ok');
        await sys.close();
      }
    });
  }

  it('unsafe: a client is told ok for a put the power loss then undid, and I13 names it', async () => {
    let shown = 0;
    for (let at = 1; at <= 14; at++) {
      const sys = await kvSystem('explicit', 'unsafe', { syncEvery: 4 });
      await sys.run(at);
      await sys.powerLoss({ keepBatches: 0 });
      const report = await sys.restart();
      const i13 = report.invariants['I13 output commit'] ?? '';
      if (i13 !== 'ok') {
        shown++;
        expect(i13).toMatch(/a client was told of crank \d+'s work, but the restart resumed the system as of crank \d+ \(answers are released unsafely/);
      }
      await sys.close();
    }
    expect(shown).toBeGreaterThan(0);
  });
});
