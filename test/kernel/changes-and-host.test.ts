import { describe, expect, it } from 'vitest';
import { Kernel, STORE_SLOT, type Program } from '../../kernel/index.ts';

/** Writes its storage, then throws when told to; moves its store capability when told to. */
const writer: Program<number> = {
  init: () => 0,
  receive(ctx, state, message) {
    if (message.payload === 'write then fail') {
      ctx.write(ctx.lookup('data') as number, { n: 1 });
      throw new Error('after the write');
    }
    if (message.payload === 'move store') ctx.move(STORE_SLOT, 9);
    if (message.payload === 'fault') throw new Error('fault');
    return state + 1;
  },
};

function setup() {
  const kernel = new Kernel({ programs: { writer } });
  const pid = kernel.spawn('writer', [], { persistent: true });
  kernel.createStorage(pid, { n: 0 }, { name: 'data' });
  const { id: endpoint } = kernel.createEndpoint(pid, { name: 'in' });
  kernel.startAll();
  kernel.takeChanges();
  return { kernel, pid, endpoint };
}

describe('the change set the commit path reads', () => {
  it('a write in a crank that faults leaves the storage object out of the change set', () => {
    const { kernel, endpoint } = setup();
    kernel.inject(endpoint, 'write then fail');
    kernel.run();
    expect(kernel.takeChanges().storage.size).toBe(0);
  });

  it('a write in a crank that commits is in the change set', () => {
    const kernel = new Kernel({ programs: { w: { init: () => 0, receive: (ctx, s: number) => (ctx.write(ctx.lookup('data') as number, s + 1), s + 1) } } });
    const pid = kernel.spawn('w');
    kernel.createStorage(pid, 0, { name: 'data' });
    const { id } = kernel.createEndpoint(pid);
    kernel.startAll();
    kernel.takeChanges();
    kernel.inject(id, 'go');
    kernel.run();
    expect(kernel.takeChanges().storage.size).toBe(1);
  });
});

describe('host wiring and restarts', () => {
  it('grant refuses rights outside the mask', () => {
    const { kernel, pid } = setup();
    const other = kernel.spawn('writer');
    expect(() => kernel.grant(pid, 1, other, { rights: 16 })).toThrow(/not a rights mask/);
  });

  it('a restart keeps the store capability a program moved out of slot 0', () => {
    const { kernel, pid, endpoint } = setup();
    kernel.inject(endpoint, 'move store');
    kernel.run();
    expect(kernel.process(pid).cspace.slots[9]?.object.kind).toBe('store');
    kernel.restartProcess(pid);
    expect(kernel.process(pid).cspace.slots[9]?.object.kind).toBe('store');
  });
});

describe('host revoke, delete and drop', () => {
  function tree() {
    const kernel = new Kernel({ programs: { writer } });
    const a = kernel.spawn('writer');
    const b = kernel.spawn('writer');
    const { slot: root } = kernel.createStorage(a, { n: 0 });
    const mid = kernel.grant(a, root, b);
    const leaf = kernel.grant(b, mid, a);
    return { kernel, a, b, root, mid, leaf };
  }

  it('revokeSlot removes what derives from the slot and keeps the capability itself', () => {
    const { kernel, a, b, root, mid, leaf } = tree();
    expect(kernel.revokeSlot(a, root)).toBe(2);
    expect(kernel.process(a).cspace.slots[root]).toBeTruthy();
    expect(kernel.process(b).cspace.slots[mid] ?? null).toBeNull();
    expect(kernel.process(a).cspace.slots[leaf] ?? null).toBeNull();
  });

  it('deleteSlot removes one capability and hands its children to its parent', () => {
    const { kernel, a, b, root, mid, leaf } = tree();
    kernel.deleteSlot(b, mid);
    expect(kernel.process(b).cspace.slots[mid] ?? null).toBeNull();
    expect(kernel.process(a).cspace.lookup(leaf).parent).toBe(kernel.process(a).cspace.lookup(root));
  });

  it('dropCapability removes the capability and everything below it', () => {
    const { kernel, a, b, root, mid, leaf } = tree();
    expect(kernel.dropCapability(kernel.process(b).cspace.lookup(mid))).toBe(2);
    expect(kernel.process(b).cspace.slots[mid] ?? null).toBeNull();
    expect(kernel.process(a).cspace.slots[leaf] ?? null).toBeNull();
    expect(kernel.process(a).cspace.slots[root]).toBeTruthy();
  });

  it('a host revoke inside a crank is refused', () => {
    let kernel: Kernel | null = null;
    let pid = -1;
    let slot = -1;
    const inside: Program<null> = {
      init: () => null,
      receive() {
        kernel?.revokeSlot(pid, slot);
        return null;
      },
    };
    kernel = new Kernel({ programs: { inside } });
    pid = kernel.spawn('inside');
    slot = kernel.createStorage(pid, 0).slot;
    const { id } = kernel.createEndpoint(pid);
    kernel.startAll();
    kernel.inject(id, 'x');
    expect(kernel.step()?.fault).toMatch(/cannot run inside a crank/);
  });
});
