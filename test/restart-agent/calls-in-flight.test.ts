/**
 * Calls in flight when a callee dies or restarts: the caller learns it through a typed error
 * (callee_restarted, callee_faulted) and never waits forever; everything the dead process held
 * (reply capabilities, messages queued to it) is answered with a typed error or reclaimed.
 * Kernel-level, with the restart agent's Supervisor deciding, as in a restarted system.
 */
import { describe, expect, it } from 'vitest';
import { Kernel, KernelError, type KernelErrorCode, type Program, type RestartMode } from '../../kernel/index.ts';
import { Supervisor } from '../../restart-agent/policy.ts';

interface ClientState {
  replies: string[];
  errors: string[];
}

/** Calls the server with whatever the host sends it; records replies, typed errors, and refused calls. */
const client: Program<ClientState> = {
  init: () => ({ replies: [], errors: [] }),
  receive(ctx, state, message) {
    if (message.type === 'reply') return { ...state, replies: [...state.replies, String(message.payload)] };
    if (message.type === 'error') return { ...state, errors: [...state.errors, `error ${message.error}`] };
    try {
      ctx.call(ctx.lookup('server') as number, message.payload);
    } catch (err) {
      if (!(err instanceof KernelError)) throw err;
      return { ...state, errors: [...state.errors, `refused ${err.code}`] };
    }
    return state;
  },
};

/** 'hold': keeps the reply capability unanswered; 'boom': faults; anything else: answered. */
const server: Program<number> = {
  init: () => 0,
  receive(ctx, state, message) {
    if (message.payload === 'boom') throw new Error('boom');
    if (message.payload === 'hold' || message.reply === null) return state + 1;
    ctx.reply(message.reply, `ok ${String(message.payload)}`);
    return state + 1;
  },
};

function world(mode: RestartMode, clients = 3) {
  const kernel = new Kernel({ programs: { client, server }, seed: 5 });
  const serverPid = kernel.spawn('server');
  const { id: serverIn, slot } = kernel.createEndpoint(serverPid, { name: 'in' });
  const supervisor = new Supervisor(new Map([[serverPid, { mode, intensity: 5, periodCranks: 1000 }]]));
  kernel.onFault = supervisor.onFault;
  kernel.onExit = supervisor.onExit;
  const pids: number[] = [];
  const inboxes: number[] = [];
  for (let i = 0; i < clients; i++) {
    const pid = kernel.spawn('client');
    inboxes.push(kernel.createEndpoint(pid, { name: 'inbox' }).id);
    kernel.grant(serverPid, slot, pid, { name: 'server' });
    pids.push(pid);
  }
  kernel.startAll();
  const state = (i: number): ClientState => kernel.process(pids[i] as number).state as unknown as ClientState;
  const ask = (i: number, payload: string): void => kernel.inject(inboxes[i] as number, payload);
  return { kernel, supervisor, serverPid, serverIn, pids, state, ask };
}

/** After running to quiescence nobody waits: a waiting process with no answer coming would wait forever. */
function expectNobodyWaits(kernel: Kernel): void {
  expect(kernel.run()).toBeGreaterThanOrEqual(0);
  for (const p of kernel.processes()) {
    if (!p.alive) continue;
    expect(p.status, `p${p.id} ${p.program}`).not.toBe('waiting');
    expect(p.debt, `p${p.id} ${p.program} debt`).toBe(0);
  }
}

const codes = (errors: string[]): KernelErrorCode[] => errors.map((e) => e.split(' ')[1] as KernelErrorCode);

describe('calls in flight when the callee restarts (permanent policy)', () => {
  it('callers whose replies the callee held get callee_restarted; the caller that made it fault gets callee_faulted', () => {
    const { kernel, supervisor, serverPid, state, ask } = world('permanent');
    ask(0, 'hold');
    ask(1, 'hold');
    kernel.run();
    expect(kernel.process(serverPid).state).toBe(2);
    ask(2, 'boom');
    expectNobodyWaits(kernel);
    expect(supervisor.events.map((e) => e.action)).toEqual(['restarted']);
    expect(state(0).errors).toEqual(['error callee_restarted']);
    expect(state(1).errors).toEqual(['error callee_restarted']);
    expect(state(2).errors).toEqual(['error callee_faulted']);
    // The restarted server holds no reply capability of its former life.
    for (const [, cap] of kernel.process(serverPid).cspace.entries()) expect(cap.object.kind).not.toBe('reply');
  });

  it('calls still queued when the callee restarts are served by the new incarnation', () => {
    const { kernel, serverPid, state, ask } = world('permanent');
    ask(0, 'hold');
    kernel.run();
    ask(1, 'first');
    ask(2, 'second');
    // Deliver the two calls to the server's queue, not to the server.
    for (let i = 0; i < 2; i++) kernel.step();
    expect(kernel.process(serverPid).inbox.length).toBe(2);
    kernel.restartProcess(serverPid);
    expectNobodyWaits(kernel);
    expect(state(0).errors).toEqual(['error callee_restarted']);
    expect(state(1).replies).toEqual(['ok first']);
    expect(state(2).replies).toEqual(['ok second']);
  });
});

describe('calls in flight when the callee dies for good (temporary policy)', () => {
  it('held replies and queued calls are answered callee_faulted; later calls are refused with a typed error', () => {
    const { kernel, supervisor, serverPid, serverIn, state, ask } = world('temporary', 4);
    ask(0, 'hold');
    kernel.run();
    ask(1, 'boom');
    ask(2, 'queued');
    // Both calls reach the server's queue; then 'boom' kills it with 'queued' still behind it.
    kernel.step();
    kernel.step();
    expect(kernel.process(serverPid).inbox.length).toBe(2);
    expectNobodyWaits(kernel);
    expect(supervisor.events.map((e) => e.action)).toEqual(['terminated']);
    expect(kernel.process(serverPid).status).toBe('exited');
    expect(codes(state(0).errors)).toEqual(['callee_faulted']);
    expect(codes(state(1).errors)).toEqual(['callee_faulted']);
    expect(codes(state(2).errors)).toEqual(['callee_faulted']);

    // Reclaimed: no queue, no pending count, no capability left in the dead process.
    const dead = kernel.process(serverPid);
    expect(dead.inbox.length).toBe(0);
    expect([...dead.cspace.entries()]).toEqual([]);
    const endpoint = kernel.objects.get(serverIn);
    expect(endpoint?.kind === 'endpoint' && endpoint.pending).toBe(0);
    expect(endpoint?.alive).toBe(false);

    ask(3, 'late');
    expectNobodyWaits(kernel);
    expect(state(3).errors).toHaveLength(1);
    expect(state(3).errors[0]).toMatch(/^refused (revoked|empty_slot)$/);
  });

  it('a caller that dies while waiting leaves nothing behind: the late reply is dropped', () => {
    const { kernel, pids, serverPid, ask } = world('permanent', 1);
    ask(0, 'slow');
    kernel.step(); // the client calls
    expect(kernel.process(pids[0] as number).status).toBe('waiting');
    kernel.terminate(pids[0] as number);
    expectNobodyWaits(kernel);
    expect(kernel.process(serverPid).state).toBe(1);
    expect(kernel.process(serverPid).status).toBe('ready');
  });
});
