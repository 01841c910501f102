import { describe, expect, it } from 'vitest';
import { Kernel, type Program, type RestartPolicy } from '../../kernel/index.ts';
import { Supervisor } from '../../restart-agent/policy.ts';

/** Faults on every message that says 'boom'; counts the rest. */
const fragile: Program<number> = {
  init: () => 0,
  receive(_ctx, state, message) {
    if (message.payload === 'boom') throw new Error('boom');
    return state + 1;
  },
};

function setup(policy: RestartPolicy) {
  const kernel = new Kernel({ programs: { fragile } });
  const pid = kernel.spawn('fragile');
  const { id: endpoint } = kernel.createEndpoint(pid, { name: 'in' });
  const supervisor = new Supervisor(new Map([[pid, policy]]));
  kernel.onFault = supervisor.onFault;
  kernel.startAll();
  return { kernel, pid, endpoint, supervisor };
}

describe('restart policies', () => {
  it('permanent: a faulting process is started anew from its command line, state reset', () => {
    const { kernel, pid, endpoint, supervisor } = setup({ mode: 'permanent', intensity: 3, periodCranks: 100 });
    kernel.inject(endpoint, 'ok');
    kernel.inject(endpoint, 'ok');
    kernel.run();
    expect(kernel.process(pid).state).toBe(2);
    kernel.inject(endpoint, 'boom');
    kernel.run();
    const p = kernel.process(pid);
    expect(p.status).toBe('ready');
    expect(p.state).toBe(0);
    expect(p.generation).toBe(1);
    expect(supervisor.events.map((e) => e.action)).toEqual(['restarted']);
  });

  it('keeps named capabilities across a restart, so the endpoint still works', () => {
    const { kernel, pid, endpoint } = setup({ mode: 'transient', intensity: 3, periodCranks: 100 });
    kernel.inject(endpoint, 'boom');
    kernel.run();
    expect(kernel.process(pid).named.has('in')).toBe(true);
    kernel.inject(endpoint, 'ok');
    kernel.run();
    expect(kernel.process(pid).state).toBe(1);
  });

  it('temporary: a faulting process is terminated and its endpoint refuses further messages', () => {
    const { kernel, pid, endpoint, supervisor } = setup({ mode: 'temporary', intensity: 3, periodCranks: 100 });
    kernel.inject(endpoint, 'boom');
    kernel.run();
    expect(kernel.process(pid).status).toBe('exited');
    expect(supervisor.events[0]?.action).toBe('terminated');
    expect(() => kernel.inject(endpoint, 'ok')).toThrow(/revoked/);
  });

  it('stops a crash loop: more than `intensity` faults within the period terminates the process', () => {
    const { kernel, pid, endpoint, supervisor } = setup({ mode: 'permanent', intensity: 2, periodCranks: 1000 });
    for (let i = 0; i < 5; i++) {
      if (kernel.process(pid).status === 'exited') break;
      kernel.inject(endpoint, 'boom');
      kernel.run();
    }
    expect(kernel.process(pid).status).toBe('exited');
    expect(supervisor.events.map((e) => e.action)).toEqual(['restarted', 'restarted', 'crash loop stopped']);
  });

  it('forgets faults older than the period', () => {
    const { kernel, pid, endpoint, supervisor } = setup({ mode: 'permanent', intensity: 1, periodCranks: 5 });
    kernel.inject(endpoint, 'boom');
    kernel.run();
    for (let i = 0; i < 10; i++) kernel.inject(endpoint, 'ok');
    kernel.run();
    kernel.inject(endpoint, 'boom');
    kernel.run();
    expect(kernel.process(pid).status).toBe('ready');
    expect(supervisor.events.map((e) => e.action)).toEqual(['restarted', 'restarted']);
  });
});
