import { describe, expect, it } from 'vitest';
import { Kernel, type Program, type RestartMode } from '../../kernel/index.ts';
import { Supervisor } from '../../restart-agent/policy.ts';

/** Exits normally when told 'done'. */
const worker: Program<number> = {
  init: () => 0,
  receive(ctx, state, message) {
    if (message.payload === 'done') ctx.exit();
    return state + 1;
  },
};

function runToExit(mode: RestartMode) {
  const kernel = new Kernel({ programs: { worker } });
  const pid = kernel.spawn('worker');
  const { id: endpoint } = kernel.createEndpoint(pid, { name: 'in' });
  const supervisor = new Supervisor(new Map([[pid, { mode, intensity: 3, periodCranks: 100 }]]));
  kernel.onFault = supervisor.onFault;
  kernel.onExit = supervisor.onExit;
  kernel.startAll();
  kernel.inject(endpoint, 'work');
  kernel.inject(endpoint, 'done');
  kernel.run();
  return { status: kernel.process(pid).status, actions: supervisor.events.map((e) => e.action) };
}

describe('a normal exit under each restart mode', () => {
  it('permanent: restarted even after a normal exit', () => {
    expect(runToExit('permanent')).toEqual({ status: 'ready', actions: ['restarted'] });
  });

  it('transient: a normal exit is final', () => {
    expect(runToExit('transient')).toEqual({ status: 'exited', actions: ['terminated'] });
  });

  it('temporary: a normal exit is final', () => {
    expect(runToExit('temporary')).toEqual({ status: 'exited', actions: ['terminated'] });
  });

  it('without a supervisor an exit ends the process and its endpoint refuses messages', () => {
    const kernel = new Kernel({ programs: { worker } });
    const pid = kernel.spawn('worker');
    const { id: endpoint } = kernel.createEndpoint(pid);
    kernel.startAll();
    kernel.inject(endpoint, 'done');
    kernel.run();
    expect(kernel.process(pid).status).toBe('exited');
    expect(() => kernel.inject(endpoint, 'again')).toThrow(/revoked/);
  });
});
