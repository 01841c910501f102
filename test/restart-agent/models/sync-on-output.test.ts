/**
 * The example model of one's own (experiments/models/sync-on-output.ts) through the plug-in
 * interface: it syncs only when output waits or every SYNC_BOUND commits, loses at most that
 * many cranks, and tells no client of work a power loss undoes.
 */
import { describe, expect, it } from 'vitest';
import { MODEL_KIT, System, violations, type PersistenceEvent } from '../../../restart-agent/index.ts';
import { MemoryDisk } from '../../../store/index.ts';
import { system as counter } from '../../../examples/counter.ts';
import { system as kv } from '../../../examples/kv.ts';
import { model as syncOnOutput, SYNC_BOUND } from '../../../experiments/models/sync-on-output.ts';

const model = syncOnOutput(MODEL_KIT);

describe('a model of one\'s own: sync-on-output', () => {
  it('without clients syncs once per SYNC_BOUND commits, and a power loss loses fewer cranks than that', async () => {
    const events: PersistenceEvent[] = [];
    const sys = await System.create({ spec: counter, store: { backend: 'memory', disk: new MemoryDisk() }, model, syncEvery: 1, onPersistence: (e) => events.push(e) });
    await sys.run(150);
    const synced = events.filter((e) => e.kind === 'commit' && e.synced).length;
    expect(synced).toBeLessThanOrEqual(1 + Math.ceil(150 / SYNC_BOUND));
    await sys.powerLoss();
    const report = await sys.restart();
    expect(violations(report.invariants)).toEqual([]);
    expect(report.lostCranks).toBeGreaterThan(0);
    expect(report.lostCranks).toBeLessThan(SYNC_BOUND);
    await sys.close();
  });

  it('with clients, no client is told of work a power loss undoes (I13), at any crank', async () => {
    for (let at = 1; at <= 12; at++) {
      const sys = await System.create({ spec: kv, store: { backend: 'memory', disk: new MemoryDisk() }, model, seed: 1 });
      await sys.run(at);
      await sys.powerLoss();
      const report = await sys.restart();
      expect(report.invariants['I13 output commit'], `crank ${at}`).toBe('ok');
      expect(violations(report.invariants), `crank ${at}`).toEqual([]);
      await sys.close();
    }
  });
});
