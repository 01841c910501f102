/**
 * The sturdy-clients example across power losses, under every persistence model: clients that
 * keep only tokens reconnect through the gatekeeper with exactly the rights and badge they were
 * given; the revoked client is refused, also after later restarts.
 */
import { describe, expect, it } from 'vitest';
import { READ } from '../../kernel/index.ts';
import { system as spec, type Client } from '../../examples/sturdy-clients.ts';
import { PERSISTENCE_MODELS, System } from '../../restart-agent/system.ts';
import { MemoryDisk } from '../../store/index.ts';

function clientState(system: System, n: number): Client {
  const p = [...system.kernel.processes()].find((q) => q.program === 'client' && q.args[0] === n);
  if (p === undefined) throw new Error(`no client ${n}`);
  return p.state as unknown as Client;
}

describe('sturdy-clients: reconnecting through the gatekeeper', () => {
  for (const model of PERSISTENCE_MODELS) {
    it(`clients come back connected, read only and badged, under the ${model} model`, async () => {
      const disk = new MemoryDisk();
      const system = await System.create({ spec, store: { backend: 'memory', disk }, model, seed: 3, checkpointEvery: 5 });
      await system.run(8);
      if (system.checkpointing) await system.checkpoint();
      await system.powerLoss();
      const report = await system.restart();
      for (const [name, verdict] of Object.entries(report.invariants)) expect(`${name}: ${verdict}`).toMatch(/: (ok|not checked)/);
      const one = clientState(system, 1);
      expect(one.refused).toBeNull();
      expect(one.rights).toBe(READ);
      expect(one.badge).toBe(1);
      expect(clientState(system, 2).badge).toBe(2);
      await system.run(200);
      // Client 2's token was revoked by input 6: refused now and after another power loss.
      expect(clientState(system, 2).refused).toBe('token_revoked');
      expect(clientState(system, 1).answers).toBeGreaterThan(0);
      if (system.checkpointing) await system.checkpoint();
      await system.powerLoss();
      await system.restart();
      expect(clientState(system, 2).refused).toBe('token_revoked');
      expect(clientState(system, 1).refused).toBeNull();
      expect(clientState(system, 1).rights).toBe(READ);
      await system.close();
    });
  }
});
