import { describe, expect, test } from 'vitest';
import { READ, type Ctx } from '../../kernel/index.ts';
import { Lab } from './support/lab.ts';
import { maskedState } from './support/snapshot.ts';

/**
 * 'victim' (persistent) holds: 1 a capability to other's endpoint, 2 a storage object whose child
 * 'other' holds, 3 an endpoint of its own, named 'mine'. Its init runs `body` and may throw.
 */
function system(body: (ctx: Ctx) => void): Lab {
  const lab = new Lab();
  lab.spawn('other');
  lab.endpoint('other', 0);
  const victim = lab.spawn('victim', { init: body }, { persistent: true });
  lab.grant('other', 0, 'victim', { slot: 1 });
  lab.kernel.createStorage(victim, { v: 1 }, { slot: 2 });
  lab.grant('victim', 2, 'other', { slot: 1 });
  lab.kernel.createEndpoint(victim, { slot: 3, name: 'mine' });
  lab.kernel.start(lab.pid('other'));
  return lab;
}

function everything(ctx: Ctx): void {
  ctx.copy(2);
  ctx.mint(2, READ, 5, 40);
  ctx.register(0, 'disk', 2);
  ctx.unregister(0, 'mine');
  ctx.write(2, { v: 2 });
  ctx.send(1, 'hello', [2, 40]);
  ctx.revoke(2);
  ctx.delete(3);
  ctx.move(1, 50);
  ctx.createEndpoint();
  ctx.createStorage('new');
  ctx.call(50, 'question');
}

describe('crank atomicity', () => {
  test('a handler that does syscalls and then throws leaves the kernel exactly as before the crank', () => {
    const lab = system((ctx) => {
      everything(ctx);
      throw new Error('after all that');
    });
    const victim = lab.pid('victim');
    const before = maskedState(lab.kernel, { counters: true, faulted: [victim] });
    const objectsBefore = lab.kernel.objects.size;
    const result = lab.kernel.start(victim);
    expect(result.fault).toBe('Error: after all that');
    expect(maskedState(lab.kernel, { counters: true, faulted: [victim] })).toEqual(before);
    expect(lab.kernel.objects.size).toBe(objectsBefore);
    lab.kernel.run();
    expect(lab.deliveries('other')).toEqual([]);
  });

  test('the same handler without the throw does change all of it (the comparison above can fail)', () => {
    const lab = system(everything);
    const victim = lab.pid('victim');
    const before = maskedState(lab.kernel, { counters: true, faulted: [victim] });
    expect(lab.kernel.start(victim).fault).toBeNull();
    expect(maskedState(lab.kernel, { counters: true, faulted: [victim] })).not.toEqual(before);
    lab.kernel.run();
    expect(lab.deliveries('other').map((m) => m.payload)).toEqual(['hello', 'question']);
  });

  test('a KernelError left uncaught also faults the crank, and undoes what came before it', () => {
    const lab = system((ctx) => {
      ctx.write(2, 'changed');
      ctx.delete(77);
    });
    const victim = lab.pid('victim');
    lab.kernel.start(victim);
    expect(lab.kernel.process(victim).lastFault).toMatch(/^empty_slot/);
    const s = lab.kernel.objects.get(lab.kernel.process(victim).cspace.lookup(2).object.id);
    expect(s?.kind === 'storage' && [s.data, s.version]).toEqual([{ v: 1 }, 1]);
  });

  test('a faulted receive crank consumes its message, drops what it carried and repays its account', () => {
    const lab = new Lab();
    const sink = lab.spawn('sink', { receive: (ctx, m) => {
      ctx.copy(m.caps[0] as number);
      throw new Error('no');
    } });
    const e = lab.endpoint('sink', 0);
    const sender = lab.spawn('sender', { init: (ctx) => ctx.send(0, 'gift', [1]) });
    lab.grant('sink', 0, 'sender', { slot: 0 });
    lab.kernel.createStorage(sender, 'x', { slot: 1 });
    lab.kernel.startAll();
    lab.kernel.run();
    const sinkProcess = lab.kernel.process(sink);
    expect(sinkProcess.status).toBe('faulted');
    expect([...sinkProcess.cspace.entries()].map(([s]) => s)).toEqual([0]);
    expect(lab.kernel.process(sender).cspace.lookup(1).firstChild).toBeNull();
    expect([sinkProcess.debt, lab.kernel.process(sender).debt]).toEqual([0, 0]);
    const endpoint = lab.kernel.objects.get(e.id);
    expect(endpoint?.kind === 'endpoint' && endpoint.pending).toBe(0);
  });
});
