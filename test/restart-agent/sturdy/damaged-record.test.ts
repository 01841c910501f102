/**
 * A sturdy record damaged on disk (a bad sector) never lets its token resolve: the explicit
 * boot does not know the token, and a checkpoint boot revokes the checkpoint's copy of it,
 * since the record it cannot read may have said revoked. Either way the report names it.
 */
import { describe, expect, it } from 'vitest';
import { system as spec } from '../../../examples/sturdy-clients.ts';
import { PERSISTENCE_MODELS, System } from '../../../restart-agent/system.ts';
import { MemoryDisk } from '../../../store/index.ts';

describe('a damaged sturdy record', () => {
  for (const model of PERSISTENCE_MODELS) {
    it(`${model}: its token is refused after the restart, and the report says why`, async () => {
      const disk = new MemoryDisk();
      const system = await System.create({ spec, store: { backend: 'memory', disk }, model, seed: 3 });
      await system.run(5);
      if (system.checkpointing) await system.checkpoint();
      await system.powerLoss();
      const entries = await disk.rawEntries();
      // Client 1's token is the first one made (the lower id): t<id hex14>.
      const first = entries.filter(([key]) => /^t[0-9a-f]{14}$/.test(key)).sort(([a], [b]) => a.localeCompare(b))[0];
      if (first === undefined) throw new Error('no sturdy record on the disk');
      const bytes = Uint8Array.from(first[1]);
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
      await disk.overwrite(first[0], bytes);
      const report = await system.restart();
      expect(report.quarantined.map((q) => q.record)).toContain(`sturdy ${parseInt(first[0].slice(1), 16)}`);
      await system.run(50);
      const client = [...system.kernel.processes()].find((p) => p.program === 'client' && p.args[0] === 1);
      expect((client?.state as { refused: string | null }).refused).toMatch(/^token_(refused|revoked)$/);
      await system.close();
    });
  }
});
