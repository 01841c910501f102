/**
 * A named snapshot of a transcript-model store carries its newest checkpoint, not the transcript
 * after it (docs/persistence-models.md): a spawn boots under the transcript model, replays
 * nothing, and resumes at that checkpoint, the same every time (I7).
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../../examples/index.ts';
import { stateHash } from '../../../kernel/index.ts';
import { System } from '../../../restart-agent/index.ts';
import { saveSnapshot, spawnSnapshot } from '../../../restart-agent/snapshot/index.ts';
import { MemoryDisk, openStore } from '../../../store/index.ts';

const counter = EXAMPLES.counter!;

describe('a snapshot of a transcript-model store', () => {
  it('spawns at its newest checkpoint, replaying nothing, alike every time', async () => {
    const disk = new MemoryDisk();
    const system = await System.create({ spec: counter, store: { backend: 'memory', disk }, seed: 6, model: 'transcript', checkpointEvery: 0, syncEvery: 1 });
    await system.run(12);
    await system.checkpoint();
    const atCheckpoint = stateHash(system.kernel);
    await system.run(9);
    await system.close();
    const archive = await openStore({ backend: 'memory', disk });
    await saveSnapshot(archive, 'tx', { principal: 'alice', now: () => 0 });
    for (let i = 0; i < 2; i++) {
      const spawned = await spawnSnapshot(archive, 'tx', { principal: 'alice', spec: counter, target: { backend: 'memory', disk: new MemoryDisk() } });
      expect(spawned.system.model).toBe('transcript');
      expect(spawned.report.transcript?.replayedCranks).toBe(0);
      expect(spawned.stateHash).toBe(atCheckpoint);
      await spawned.system.close();
    }
    await archive.close();
  });
});
