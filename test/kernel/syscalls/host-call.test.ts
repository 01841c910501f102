/**
 * Calls from clients outside the machine (Kernel.hostCall): the program's reply becomes a host
 * answer when its crank commits, a faulted crank answers with the kernel's error, a refused
 * call changes nothing, and a host call in flight survives export and import of the kernel.
 */
import { describe, expect, it } from 'vitest';
import { exportState, importState, instantiate, Kernel, KernelError, type Program, type SystemSpec } from '../../../kernel/index.ts';

const echo: Program<{ n: number }> = {
  init: () => ({ n: 0 }),
  receive(ctx, state, message) {
    if (message.payload === 'boom') throw new Error('boom');
    if (message.reply !== null) ctx.reply(message.reply, { n: state.n + 1, badge: message.badge });
    return { n: state.n + 1 };
  },
};

const spec: SystemSpec = { name: 'echo', description: 'answers calls', programs: { echo }, processes: [{ name: 'echo', program: 'echo' }], endpoints: [{ name: 'in', owner: 'echo' }] };

function fresh(): { kernel: Kernel; endpoint: number } {
  const kernel = new Kernel({ programs: spec.programs });
  const wiring = instantiate(kernel, spec);
  kernel.startAll();
  return { kernel, endpoint: wiring.endpoints.get('in') as number };
}

describe('hostCall', () => {
  it('delivers a call with the badge and returns the answer under its ticket once the crank commits', () => {
    const { kernel, endpoint } = fresh();
    const ticket = kernel.hostCall(endpoint, 'hi', 5);
    expect(kernel.takeHostAnswers()).toEqual([]);
    kernel.step();
    expect(kernel.takeHostAnswers()).toEqual([{ reply: ticket, ok: true, payload: { n: 1, badge: 5 }, error: null, crank: kernel.crankCount }]);
    expect(kernel.takeHostAnswers()).toEqual([]);
  });

  it('answers with the kernel error when the callee faults, and nothing of the crank survives', () => {
    const { kernel, endpoint } = fresh();
    const ticket = kernel.hostCall(endpoint, 'boom');
    kernel.step();
    expect(kernel.takeHostAnswers()).toMatchObject([{ reply: ticket, ok: false, error: 'callee_faulted' }]);
  });

  it('refuses a call to a gone endpoint before changing anything', () => {
    const { kernel, endpoint } = fresh();
    const objects = kernel.objects.size;
    kernel.terminate([...kernel.processes()][0]?.id as number);
    expect(() => kernel.hostCall(endpoint, 'hi')).toThrow(KernelError);
    expect(kernel.objects.size).toBe(objects);
  });

  it('a host call in flight survives export and import, and is answered afterwards', () => {
    const { kernel, endpoint } = fresh();
    const ticket = kernel.hostCall(endpoint, 'hi');
    const copy = importState(exportState(kernel), { programs: spec.programs });
    copy.step();
    expect(copy.takeHostAnswers()).toMatchObject([{ reply: ticket, ok: true }]);
  });
});
