/**
 * An external input the kernel refuses (its endpoint's process is gone) is skipped and counted,
 * as a network drops a packet for a host that is down; the next input is fed. A label the
 * system never had stays an error naming the input.
 */
import { describe, expect, it } from 'vitest';
import type { Program, SystemSpec } from '../../kernel/index.ts';
import { System } from '../../restart-agent/index.ts';
import { MemoryDisk } from '../../store/index.ts';

const quitter: Program<null> = {
  init: () => null,
  receive(ctx) {
    ctx.exit();
    return null;
  },
};
const counter: Program<number> = { init: () => 0, receive: (_ctx, n) => n + 1 };

function spec(inputs: { to: string; payload: string }[]): SystemSpec {
  return {
    name: 'refusals',
    description: 'a process that exits on its first message, and one that counts',
    programs: { quitter, counter },
    processes: [
      { name: 'q', program: 'quitter', policy: { mode: 'temporary' } },
      { name: 'c', program: 'counter' },
    ],
    endpoints: [
      { name: 'q-in', owner: 'q' },
      { name: 'c-in', owner: 'c' },
    ],
    input: (i) => inputs[i] ?? null,
  };
}

describe('external inputs the kernel refuses', () => {
  it('are skipped and counted, and the next input is fed', async () => {
    const system = await System.create({ spec: spec([{ to: 'q-in', payload: 'bye' }, { to: 'q-in', payload: 'anyone?' }, { to: 'c-in', payload: 'one' }]), store: { backend: 'memory', disk: new MemoryDisk() } });
    await system.run(10);
    expect(system.refusedInputs).toBe(1);
    expect(system.lastRefusal).toMatch(/^input 1 to 'q-in': /);
    const c = [...system.kernel.processes()].find((p) => p.program === 'counter');
    expect(c?.state).toBe(1);
    await system.close();
  });

  it('an input to a label the system never had is an error naming it', async () => {
    const system = await System.create({ spec: spec([{ to: 'nowhere', payload: 'x' }]), store: { backend: 'memory', disk: new MemoryDisk() } });
    await expect(system.run(5)).rejects.toThrow("input 0 goes to 'nowhere', which is no endpoint of this system");
    await system.close();
  });
});
