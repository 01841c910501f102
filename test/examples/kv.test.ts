/**
 * The kv example: three badged clients put and get over two keys; every answer they get is
 * linearizable against the example's model, and every put they were told succeeded survives a
 * power loss — under each persistence model.
 */
import { describe, expect, it } from 'vitest';
import { historyCounts } from '../../restart-agent/index.ts';
import { system as kv, model } from '../../examples/kv.ts';
import { checkDurable, checkLinearizable } from '../../tools/testing/index.ts';
import { fresh, runToIdle } from './support.ts';

describe('kv', () => {
  it('serves every client operation, badged, and the history is linearizable', async () => {
    const { system } = await fresh(kv, { syncEvery: 2 });
    await runToIdle(system, 1000);
    const counts = historyCounts(system.clients.history);
    expect(counts).toMatchObject({ ops: 24, ok: 24, fail: 0, indeterminate: 0 });
    expect(checkLinearizable(system.clients.history, model)).toEqual({ verdict: 'ok' });
    // The server told its clients apart by badge.
    expect(((await system.view()).processes.server as { served: number[] }).served.slice().sort()).toEqual([1, 2, 3]);
    await system.close();
  });

  for (const m of ['explicit', 'checkpoint', 'both'] as const) {
    it(`keeps what it was told to keep through a power loss (${m})`, async () => {
      const { system } = await fresh(kv, { model: m, syncEvery: 3, checkpointEvery: 4 });
      await system.run(9);
      await system.powerLoss({ keepBatches: 1 });
      const report = await system.restart();
      expect(report.invariants['I13 output commit']).toBe('ok');
      expect(checkDurable(system.clients.history, await system.view(), kv.reflects as never)).toEqual({ verdict: 'ok' });
      await runToIdle(system, 1000);
      expect(checkLinearizable(system.clients.history, model)).toEqual({ verdict: 'ok' });
      expect(historyCounts(system.clients.history).powerLosses).toBe(1);
      await system.close();
    });
  }
});
