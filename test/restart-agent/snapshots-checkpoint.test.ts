/**
 * Snapshots of checkpoint-model systems: the snapshot carries the newest checkpoint and its
 * blocks, spawns to exactly the kernel state at that checkpoint every time (I7, I10), survives
 * the collection of that checkpoint in the saved store, and still spawns after replication.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../examples/index.ts';
import { stateHash } from '../../kernel/index.ts';
import { System } from '../../restart-agent/index.ts';
import { saveSnapshot, spawnSnapshot } from '../../restart-agent/snapshot/index.ts';
import { MemoryDisk, openStore, replicate, type Store } from '../../store/index.ts';

const counter = EXAMPLES.counter!;

async function spawnedHash(archive: Store): Promise<{ hash: string; model: string }> {
  const spawned = await spawnSnapshot(archive, 'ckpt', { principal: 'alice', spec: counter, target: { backend: 'memory', disk: new MemoryDisk() } });
  const out = { hash: spawned.stateHash, model: spawned.system.model };
  await spawned.system.close();
  return out;
}

describe('snapshots of checkpoint-model systems', () => {
  it('spawn the kernel as it was at the checkpoint, every time, also after the saved store collected that checkpoint', async () => {
    const disk = new MemoryDisk();
    const options = { spec: counter, store: { backend: 'memory' as const, disk }, seed: 5, model: 'checkpoint' as const, checkpointEvery: 10, checkpointKeep: 1 };
    const system = await System.create(options);
    await system.run(33);
    await system.checkpoint();
    const atCheckpoint = stateHash(system.kernel);
    await system.close();

    const archive = await openStore({ backend: 'memory', disk });
    const saved = await saveSnapshot(archive, 'ckpt', { principal: 'alice', now: () => 0 });
    expect(saved.info.checkpointSeq).not.toBeNull();
    // The checkpoint's blocks were in the store already: the save wrote the records' blocks and its root only.
    expect(saved.info.blocks).toBeGreaterThan(saved.info.blocksWritten);
    expect(await spawnedHash(archive)).toEqual({ hash: atCheckpoint, model: 'checkpoint' });
    await archive.close();

    // The system runs on and collection keeps one checkpoint: the snapshot's blocks must stay.
    const { system: again } = await System.open(options);
    await again.run(40);
    await again.checkpoint();
    await again.close();
    const later = await openStore({ backend: 'memory', disk });
    expect((await later.checkpoints.count())).toBe(1);
    expect((await spawnedHash(later)).hash).toBe(atCheckpoint);

    // Replicated to an empty store, the checkpoint's blocks go along and the name spawns the same.
    const replica = await openStore({ backend: 'memory', disk: new MemoryDisk() });
    const report = await replicate(later, replica);
    expect(report.blocksCopied).toBe(saved.info.blocks);
    expect((await spawnedHash(replica)).hash).toBe(atCheckpoint);
    await Promise.all([later.close(), replica.close()]);
  });
});
