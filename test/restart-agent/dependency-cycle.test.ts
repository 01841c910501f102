/**
 * A dependency cycle restarts: A names B's endpoint and B names A's, so neither can start
 * "after" the other; the restart starts them together (one start group), after what they
 * depend on and before what depends on them, and they work afterwards.
 */
import { describe, expect, it } from 'vitest';
import type { Program, SystemSpec } from '../../kernel/index.ts';
import { expectInvariantsOk, freshSystem, processOf } from './support/harness.ts';

interface Counts {
  hellos: number;
  backs: number;
}

/** Says hello to its peer at init and on every tick; answers a hello with 'back'; counts both. */
const peer: Program<Counts> = {
  init(ctx) {
    ctx.send(ctx.lookup('peer') as number, 'hello');
    return { hellos: 0, backs: 0 };
  },
  receive(ctx, state, message) {
    if (message.payload === 'hello') {
      ctx.send(ctx.lookup('peer') as number, 'back');
      return { ...state, hellos: state.hellos + 1 };
    }
    if (message.payload === 'back') return { ...state, backs: state.backs + 1 };
    ctx.send(ctx.lookup('peer') as number, 'hello');
    return state;
  },
};

/** Depends on A: holds its endpoint, never uses it. */
const watcher: Program<null> = { init: () => null, receive: (_ctx, state) => state };
const base: Program<null> = { init: () => null, receive: (_ctx, state) => state };

const cycle: SystemSpec = {
  name: 'cycle',
  description: 'two processes that name each other, one that depends on them, one they depend on',
  programs: { 'peer-a': peer, 'peer-b': peer, watcher, base },
  processes: [
    { name: 'watcher', program: 'watcher' },
    { name: 'a', program: 'peer-a' },
    { name: 'b', program: 'peer-b' },
    { name: 'base', program: 'base' },
  ],
  endpoints: [
    { name: 'a-in', owner: 'a' },
    { name: 'b-in', owner: 'b' },
    { name: 'base-in', owner: 'base' },
  ],
  caps: [
    { holder: 'a', name: 'peer', target: 'b-in', rights: 'w' },
    { holder: 'b', name: 'peer', target: 'a-in', rights: 'w' },
    { holder: 'a', name: 'base', target: 'base-in', rights: 'w' },
    { holder: 'watcher', name: 'a', target: 'a-in', rights: 'w' },
  ],
  input: (i) => (i < 1000 ? { to: i % 2 === 0 ? 'a-in' : 'b-in', payload: 'tick' } : null),
};

describe('a dependency cycle', () => {
  it.each([0, 5, 17])('restarts after %i cranks: the cycle starts as one group, in order with the rest, and runs', async (k) => {
    const { system } = await freshSystem(cycle, { seed: 9, syncEvery: 1 });
    await system.run(k);
    await system.powerLoss();
    const report = await system.restart();
    expectInvariantsOk(report, `cycle after ${k} cranks`);

    const pid = (program: string): number => processOf(system, program).id;
    const [a, b, watcherPid, basePid] = [pid('peer-a'), pid('peer-b'), pid('watcher'), pid('base')];
    const groupOf = (p: number): number => report.startOrder.findIndex((g) => g.includes(p));
    expect(report.startOrder.find((g) => g.includes(a))?.slice().sort()).toEqual([a, b].sort());
    expect(report.startOrder.flat().sort()).toEqual([a, b, watcherPid, basePid].sort());
    expect(groupOf(basePid)).toBeLessThan(groupOf(a));
    expect(groupOf(a)).toBeLessThan(groupOf(watcherPid));
    expect(report.phases.find((p) => p.phase === 5)?.detail).toMatch(/1 cycle\(s\) started together/);

    for (const p of [a, b, watcherPid, basePid]) expect(system.kernel.process(p).status).toBe('ready');
    expect(await system.run(30)).toBe(30);
    for (const p of [a, b]) {
      const counts = system.kernel.process(p).state as unknown as Counts;
      expect(counts.hellos, `p${p}`).toBeGreaterThan(2);
      expect(counts.backs, `p${p}`).toBeGreaterThan(2);
    }
    await system.close();
  });
});
