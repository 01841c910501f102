/**
 * Rewind by determinism: the kernel a seek rebuilds from a keyframe and a replay is the one the
 * recorded run had — the same trace hash (every event of every crank, capability operations
 * included) at every position, across power losses, restarts and every persistence model —
 * and a seek changes nothing it reads (the keyframes), so seeking twice gives the same.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../../examples/index.ts';
import { buildGraph } from '../../../tools/graph/index.ts';
import type { Kernel } from '../../../kernel/index.ts';
import { System } from '../../../restart-agent/index.ts';
import { MemoryDisk } from '../../../store/index.ts';
import { frameAt } from '../../../tools/view/frame.ts';
import { Recording } from '../../../tools/view/recording.ts';
import { seek } from '../../../tools/view/replay.ts';
import type { Pull } from '../../../tools/view/timeline-spec.ts';
import { propertyParams } from '../../support/seed.ts';

// bank, counter and kv have clients outside the machine: their calls are part of what a replay must repeat.
const SYSTEMS = ['bank', 'counter', 'kv', 'ping-pong', 'boot-chain', 'flood', 'file-server', 'transfer'];
const MODELS = ['explicit', 'checkpoint', 'both'] as const;
const POSITIONS = 90;

const pullsArb = fc
  .uniqueArray(fc.integer({ min: 0, max: POSITIONS - 2 }), { maxLength: 3 })
  .chain((ats) => fc.tuple(...[...ats].sort((a, b) => a - b).map((at) => fc.record({ at: fc.constant(at), keep: fc.integer({ min: 0, max: 3 }) }))))
  .map((pulls): Pull[] => pulls);

describe('seek', () => {
  it('reaches the recorded trace hash at every position, for any system, model, seed, keyframe interval and power losses', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SYSTEMS), fc.constantFrom(...MODELS), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 40 }), pullsArb, async (name, model, seed, keyframeEvery, pulls) => {
        const spec = EXAMPLES[name];
        if (spec === undefined) throw new Error(`no example ${name}`);
        const rec = await Recording.record({ spec, seed, model, syncEvery: 3, checkpointEvery: 25, positions: POSITIONS, keyframeEvery, pulls });
        for (let pos = 0; pos <= rec.last; pos++) {
          const replayed = seek(rec, pos);
          expect(replayed.kernel.trace.hash, `${name} ${model} seed ${seed} K ${keyframeEvery} pulls ${JSON.stringify(pulls)} at ${pos}`).toBe(rec.positions[pos]?.traceHash);
          expect(replayed.replayed).toBeLessThan(keyframeEvery);
        }
      }),
      propertyParams(12),
    );
  });

  it('rebuilds the live kernel at every position: the same object IDs, graph and process states', async () => {
    /** What a kernel holds, IDs included, in a form two kernels compare by. */
    const look = (k: Kernel): string => JSON.stringify({ ids: [...k.objects.keys()].sort((a, b) => a - b), graph: buildGraph(k), states: [...k.processes()].map((p) => [p.id, p.status, p.state, p.inbox.length]) });
    for (const [name, model] of [['file-server', 'explicit'], ['bank', 'both'], ['boot-chain', 'checkpoint'], ['ping-pong', 'explicit']] as const) {
      const spec = EXAMPLES[name];
      if (spec === undefined) throw new Error(`no example ${name}`);
      const pulls = [{ at: 7, keep: 1 }, { at: 20, keep: 0 }];
      const rec = await Recording.record({ spec, seed: 3, model, syncEvery: 3, checkpointEvery: 10, positions: 40, keyframeEvery: 6, pulls });
      // The same run driven by hand: a step per position, a power loss and restart after each pull's position.
      const system = await System.create({ spec, store: { backend: 'memory', disk: new MemoryDisk() }, seed: 3, model, syncEvery: 3, checkpointEvery: 10 });
      expect(look(seek(rec, 0).kernel), `${name} at 0`).toBe(look(system.kernel));
      for (let pos = 1; pos <= rec.last; pos++) {
        const pull = pulls.find((p) => p.at === pos - 1);
        if (pull !== undefined) {
          await system.powerLoss({ keepBatches: pull.keep });
          await system.restart();
        } else {
          await system.step();
        }
        expect(look(seek(rec, pos).kernel), `${name} ${model} at ${pos}`).toBe(look(system.kernel));
      }
      await system.close();
    }
  });

  it('gives the same frame, changes marked, whether a position is a keyframe or replayed to', async () => {
    const spec = EXAMPLES['bank'];
    if (spec === undefined) throw new Error('no bank');
    const timeline = { spec, seed: 2, model: 'explicit' as const, syncEvery: 4, checkpointEvery: 100, positions: 30, pulls: [{ at: 3, keep: 0 }, { at: 12, keep: 1 }] };
    const every = await Recording.record({ ...timeline, keyframeEvery: 1 });
    const few = await Recording.record({ ...timeline, keyframeEvery: 25 });
    let marked = 0;
    for (let pos = 0; pos <= every.last; pos++) {
      const a = frameAt(every, pos);
      const b = frameAt(few, pos);
      expect({ ...a, replayed: 0 }, `at ${pos}`).toEqual({ ...b, replayed: 0 });
      if (a.graph.edges.some((e) => e.change !== null)) marked++;
    }
    // The teller's key, lost by the first power loss, is drawn removed at the restart.
    expect(frameAt(few, 4).graph.edges.filter((e) => e.change === 'removed').map((e) => `${e.from}->${e.to}`)).toContain('3->5');
    expect(marked).toBeGreaterThan(0);
  });

  it('leaves the keyframes as they were: the same position twice gives the same graph', async () => {
    const spec = EXAMPLES['file-server'];
    if (spec === undefined) throw new Error('no file-server');
    const rec = await Recording.record({ spec, seed: 1, model: 'explicit', syncEvery: 4, checkpointEvery: 100, positions: 20, keyframeEvery: 8, pulls: [{ at: 9, keep: 0 }] });
    const first = buildGraph(seek(rec, 14).kernel);
    seek(rec, 17);
    seek(rec, 10);
    expect(buildGraph(seek(rec, 14).kernel)).toEqual(first);
  });

  it('records a pull as a power loss and a restart at the position after it, with the restart summary', async () => {
    const spec = EXAMPLES['bank'];
    if (spec === undefined) throw new Error('no bank');
    const rec = await Recording.record({ spec, seed: 1, model: 'explicit', syncEvery: 4, checkpointEvery: 100, positions: 12, keyframeEvery: 50, pulls: [{ at: 3, keep: 0 }] });
    expect(rec.positions[4]?.kind).toBe('restart');
    const at4 = rec.events.filter((e) => e.pos === 4).map((e) => e.kind);
    expect(at4).toContain('power-loss');
    expect(at4).toContain('restart');
    const restart = rec.events.find((e) => e.kind === 'restart');
    expect(restart?.kind === 'restart' && restart.summary.restored.length).toBe(2);
    expect(restart?.kind === 'restart' && restart.summary.invariants['I1 durability']).toBe('ok');
    expect(() => seek(rec, rec.last + 1)).toThrow(RangeError);
  });

  it('starts from what a store folder holds by booting a copy, and leaves the folder as it was', async () => {
    const spec = EXAMPLES['bank'];
    if (spec === undefined) throw new Error('no bank');
    const dir = await mkdtemp(join(tmpdir(), 'capsim-view-store-'));
    try {
      const system = await System.create({ spec, store: { backend: 'classic', path: dir }, seed: 1, syncEvery: 1 });
      await system.run(12);
      await system.close();
      const digest = async (): Promise<string> => {
        const h = createHash('sha256');
        for (const f of (await readdir(dir)).sort()) h.update(f).update(await readFile(join(dir, f)));
        return h.digest('hex');
      };
      const before = await digest();
      const rec = await Recording.record({ spec, seed: 1, model: 'explicit', syncEvery: 4, checkpointEvery: 100, positions: 15, keyframeEvery: 5, pulls: [{ at: 6, keep: 0 }], storeDir: dir });
      const boot = rec.events.find((e) => e.pos === 0 && e.kind === 'restart');
      expect(boot?.kind === 'restart' && boot.summary.bootCount).toBe(2);
      expect(rec.last).toBe(15);
      // Inputs were fed, by labels the booted System reads from the store only when it first needs one.
      expect(rec.positions.filter((p) => p.inputTo > p.inputFrom).length).toBeGreaterThan(2);
      for (let pos = 0; pos <= rec.last; pos++) expect(seek(rec, pos).kernel.trace.hash).toBe(rec.positions[pos]?.traceHash);
      expect(await digest()).toBe(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
