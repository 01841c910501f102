import { describe, expect, test } from 'vitest';
import { exportState, importState, stateHash, type Kernel } from '../../kernel/index.ts';
import { A_STORAGE, A_TO_B, pair } from './support/fixtures.ts';
import type { Lab } from './support/lab.ts';

/** A pair mid-flight: queued messages carrying capabilities, a waiting caller, a named cap. */
function busy(): Lab {
  const { lab } = pair({ b: { receive: (ctx, m) => { if (m.payload === 'ask' && m.reply !== null) ctx.reply(m.reply, 'answer', m.caps); } } }, { schedule: 'seeded', seed: 42 });
  lab.poke('a', (ctx) => {
    ctx.register(0, 'disk', A_STORAGE);
    ctx.send(A_TO_B, 'one', [A_STORAGE]);
    ctx.send(A_TO_B, 'two');
    ctx.call(A_TO_B, 'ask', [A_STORAGE]);
  });
  return lab;
}

function continueBoth(lab: Lab, other: Kernel): void {
  for (const k of [lab.kernel, other]) {
    k.step();
    k.inject(lab.pokeEndpoint('b'), 'late input');
    k.run();
  }
}

describe('export and import', () => {
  test('importState(exportState(k)) has the same state hash', () => {
    const lab = busy();
    const copy = lab.reimport();
    expect(stateHash(copy)).toBe(stateHash(lab.kernel));
    expect(exportState(copy)).toEqual(exportState(lab.kernel));
  });

  test('both continue the same: equal trace hashes and states after the same steps (I10)', () => {
    const lab = busy();
    const copy = lab.reimport();
    continueBoth(lab, copy);
    expect(copy.trace.hash).toBe(lab.kernel.trace.hash);
    expect(stateHash(copy)).toBe(stateHash(lab.kernel));
    expect(lab.kernel.crankCount).toBeGreaterThan(5);
  });

  test('the exported state is plain data: it survives JSON', () => {
    const lab = busy();
    const s = exportState(lab.kernel);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  test('a different kernel has a different hash', () => {
    const lab = busy();
    const before = stateHash(lab.kernel);
    lab.kernel.step();
    expect(stateHash(lab.kernel)).not.toBe(before);
  });

  test('importing a foreign format is refused', () => {
    const lab = busy();
    const s = { ...exportState(lab.kernel), format: 'other/9' } as unknown as ReturnType<typeof exportState>;
    expect(() => importState(s, { programs: lab.programs })).toThrow(/format/);
  });

  test('importing a state whose program is not registered is refused', () => {
    const lab = busy();
    expect(() => importState(exportState(lab.kernel), { programs: {} })).toThrow(/not registered/);
  });

  test('a faulted process comes back as it was', () => {
    const { lab, b, endpoint } = pair({ b: { receive: () => { throw new Error('x'); } } });
    lab.kernel.inject(endpoint, 1);
    lab.kernel.run();
    const copy = lab.reimport();
    expect(copy.process(b).status).toBe('faulted');
    expect(copy.process(b).lastFault).toBe('Error: x');
    expect(stateHash(copy)).toBe(stateHash(lab.kernel));
  });
});
