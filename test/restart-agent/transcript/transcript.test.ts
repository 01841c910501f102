/**
 * The transcript model: a checkpoint plus a durable transcript of the deliveries since. A
 * restart replays the transcript and resumes exactly where its last durable entry left the
 * system; every invariant holds, the report says how much was replayed, and a replay that runs
 * otherwise than the run (a program changed since) stops with an error naming the crank.
 */
import { describe, expect, it } from 'vitest';
import { stateHash, type Program, type SystemSpec } from '../../../kernel/index.ts';
import { System, SystemError, violations } from '../../../restart-agent/index.ts';
import { MemoryDisk, StoreError } from '../../../store/index.ts';
import { system as bank } from '../../../examples/bank.ts';
import { system as kv } from '../../../examples/kv.ts';
import { system as counter } from '../../../examples/counter.ts';
import { checkDurable, checkLinearizable } from '../../../tools/testing/index.ts';

function memory() {
  return { backend: 'memory' as const, disk: new MemoryDisk() };
}

/** Counts what it is sent, and faults on 'boom': its restart policy runs its init again inside that same step. */
const flaky: Program<{ seen: number }> = {
  init: () => ({ seen: 0 }),
  receive(_ctx, state, message) {
    if (message.payload === 'boom') throw new Error('told to fault');
    return { seen: state.seen + 1 };
  },
};

function flakySpec(sends: string[]): SystemSpec {
  return {
    name: 'flaky',
    description: 'a process restarted by its policy in the middle of a step',
    programs: { flaky },
    processes: [{ name: 'flaky', program: 'flaky' }],
    endpoints: [{ name: 'in', owner: 'flaky' }],
    input: (i) => (sends[i] === undefined ? null : { to: 'in', payload: sends[i] as string }),
  };
}

describe('the transcript model', () => {
  it('with every entry synced, a restart replays every crank since the checkpoint and loses nothing', async () => {
    const sys = await System.create({ spec: bank, store: memory(), seed: 7, model: 'transcript', checkpointEvery: 25, syncEvery: 1 });
    await sys.run(60);
    const live = stateHash(sys.kernel);
    await sys.powerLoss();
    const report = await sys.restart();
    expect(violations(report.invariants)).toEqual([]);
    expect(report.lostCranks).toBe(0);
    expect(report.transcript?.replayedCranks).toBe(10);
    expect(report.transcript?.replayMs).toBeGreaterThanOrEqual(0);
    expect(report.invariants['I10 after replay']).toBe('ok');
    expect(stateHash(sys.kernel)).toBe(live);
    await sys.close();
  });

  it('loses only the entries not yet synced, and every invariant holds at every crank', async () => {
    for (let at = 1; at <= 30; at++) {
      const sys = await System.create({ spec: counter, store: memory(), seed: 3, model: 'transcript', checkpointEvery: 8, syncEvery: 3 });
      await sys.run(at);
      await sys.powerLoss({ keepBatches: 0 });
      const report = await sys.restart();
      expect(violations(report.invariants), `power loss after crank ${at}`).toEqual([]);
      expect(report.lostCranks, `crank ${at}`).toBeLessThan(3);
      await sys.run(10);
      await sys.close();
    }
  });

  it('replays alike after a second power loss during the first life after a restart (I8)', async () => {
    const sys = await System.create({ spec: bank, store: memory(), seed: 11, model: 'transcript', checkpointEvery: 20, syncEvery: 2 });
    await sys.run(33);
    await sys.powerLoss({ keepBatches: 1 });
    await sys.restart();
    const first = sys.fingerprint();
    await sys.powerLoss();
    const again = await sys.restart();
    expect(sys.fingerprint()).toBe(first);
    expect(violations(again.invariants)).toEqual([]);
    await sys.run(30);
    await sys.powerLoss();
    expect(violations((await sys.restart()).invariants)).toEqual([]);
    await sys.close();
  });

  it('lets an answer leave once its crank\'s entry is synced, and no client is told of work a restart undoes (I13)', async () => {
    for (let at = 1; at <= 14; at++) {
      const sys = await System.create({ spec: kv, store: memory(), seed: 1, model: 'transcript', syncEvery: 3, checkpointEvery: 5, trace: 'full' });
      await sys.run(at);
      await sys.powerLoss({ keepBatches: 0 });
      const report = await sys.restart();
      expect(report.invariants['I13 output commit'], `crank ${at}`).toBe('ok');
      expect(checkDurable(sys.clients.history, await sys.view(), kv.reflects as never).verdict, `crank ${at}`).toBe('ok');
      await sys.run(30);
      expect(checkLinearizable(sys.clients.history, kv.model as never).verdict, `crank ${at}`).toBe('ok');
      await sys.close();
    }
  });

  it('replays the entries after a checkpoint whose base entry was lost (the supervisor then remembered nothing)', async () => {
    const sys = await System.create({ spec: bank, store: memory(), seed: 2, model: 'transcript', checkpointEvery: 0, syncEvery: 1 });
    await sys.run(10);
    await sys.checkpoint();
    const tx = sys.store.begin();
    tx.deleteTranscript(sys.kernel.crankCount);
    await sys.store.commit(tx, { sync: true });
    await sys.powerLoss();
    await sys.restart();
    await sys.run(6);
    await sys.powerLoss();
    const report = await sys.restart();
    expect(violations(report.invariants)).toEqual([]);
    expect(report.transcript?.replayedCranks).toBe(6);
    expect(report.lostCranks).toBe(0);
    await sys.close();
  });

  it('replays a step that ran two kernel cranks (a fault, and the restart\'s init) and the entries after it', async () => {
    const sys = await System.create({ spec: flakySpec(['a', 'boom', 'b', 'c']), store: memory(), seed: 6, model: 'transcript', checkpointEvery: 0, syncEvery: 1 });
    const before = sys.kernel.crankCount;
    let steps = 0;
    while ((await sys.step()) !== null) steps++;
    expect(sys.kernel.crankCount - before).toBe(steps + 1);
    const live = stateHash(sys.kernel);
    await sys.powerLoss();
    const report = await sys.restart();
    expect(violations(report.invariants)).toEqual([]);
    expect(report.transcript?.replayedCranks).toBe(steps);
    expect(report.lostCranks).toBe(0);
    expect(stateHash(sys.kernel)).toBe(live);
    await sys.close();
  });

  it('refuses a damaged transcript entry, naming it, rather than replay past it', async () => {
    const disk = new MemoryDisk();
    const sys = await System.create({ spec: counter, store: { backend: 'memory', disk }, seed: 4, model: 'transcript', checkpointEvery: 50, syncEvery: 1 });
    await sys.run(8);
    await sys.close();
    const entry = (await disk.rawEntries()).find(([key]) => key.startsWith('x') && key !== `x${'0'.repeat(13)}2`);
    if (entry === undefined) throw new Error('no transcript entry');
    const bytes = new Uint8Array(entry[1]);
    bytes[bytes.length >> 1]! ^= 0x10;
    await disk.overwrite(entry[0], bytes);
    const error = await System.open({ spec: counter, store: { backend: 'memory', disk } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('damaged');
    expect((error as StoreError).message).toMatch(/transcript \d+/);
  });

  it('stops with a typed error naming the crank when a program behaves otherwise on replay', async () => {
    const store = memory();
    const sys = await System.create({ spec: counter, store, seed: 5, model: 'transcript', checkpointEvery: 50, syncEvery: 1 });
    await sys.run(12);
    await sys.close();
    const programs = { ...counter.programs };
    const name = Object.keys(programs).find((p) => p !== 'console') as string;
    const original = programs[name]!;
    programs[name] = { ...original, receive: (ctx, state, message) => ({ changed: original.receive(ctx, state, message) }) };
    const changed: SystemSpec = { ...counter, programs };
    const error = await System.open({ spec: changed, store: { backend: 'memory', disk: store.disk } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SystemError);
    expect((error as SystemError).code).toBe('replay_diverged');
    expect((error as SystemError).message).toMatch(/^replay diverged at kernel crank \d+ \(crank \d+ of the run\): its digest is/);
  });
});
