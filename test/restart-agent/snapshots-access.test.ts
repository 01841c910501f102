/**
 * Principals and the grid: a snapshot is private to its owner until invited; instances live in
 * a grid folder with a registry, belong to whoever spawned them, and are freed by boom.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../examples/index.ts';
import { System } from '../../restart-agent/index.ts';
import { actingPrincipal, Grid, inviteToSnapshot, listSnapshots, readRegistry, saveSnapshot, SnapshotError, spawnSnapshot } from '../../restart-agent/snapshot/index.ts';
import { MemoryDisk, openStore, type Store } from '../../store/index.ts';

const counter = EXAMPLES.counter!;
const clock = () => 1_700_000_000_000;
const dir = mkdtempSync(join(tmpdir(), 'capsim-snapshots-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function archiveWith(name: string, owner: string): Promise<Store> {
  const disk = new MemoryDisk();
  const system = await System.create({ spec: counter, store: { backend: 'memory', disk }, seed: 2 });
  await system.run(12);
  await system.close();
  const archive = await openStore({ backend: 'memory', disk });
  await saveSnapshot(archive, name, { principal: owner, now: clock });
  return archive;
}

function refusal(promise: Promise<unknown>): Promise<SnapshotError> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(SnapshotError);
      return error as SnapshotError;
    },
  );
}

describe('snapshot principals', () => {
  it('refuses an uninvited principal, naming the snapshot and the principal; an invitation lets it spawn', async () => {
    const archive = await archiveWith('base', 'alice');
    const spawnAs = (principal: string) => spawnSnapshot(archive, 'base', { principal, spec: counter, target: { backend: 'memory', disk: new MemoryDisk() } });

    const refused = await refusal(spawnAs('bob'));
    expect(refused.code).toBe('refused');
    expect(refused.message).toMatch(/principal 'bob' may not spawn snapshot 'base'/);
    expect(await listSnapshots(archive, 'bob')).toEqual([]);
    expect((await listSnapshots(archive, 'alice')).map((s) => s.name)).toEqual(['base']);

    // Only the owner invites; an invitation changes the guest list and never the root (I7).
    const rootBefore = (await listSnapshots(archive, 'alice'))[0]!.root;
    expect((await refusal(inviteToSnapshot(archive, 'base', 'bob', 'bob'))).message).toMatch(/only its owner 'alice' may/);
    const invited = await inviteToSnapshot(archive, 'base', 'alice', 'bob');
    expect(invited.invited).toEqual(['bob']);
    expect(invited.root).toBe(rootBefore);

    const spawned = await spawnAs('bob');
    await spawned.system.close();
    expect((await listSnapshots(archive, 'bob')).map((s) => [s.name, s.owner])).toEqual([['base', 'alice']]);
    // bob, once invited, still may not pass the right on, and carol is still refused.
    expect((await refusal(inviteToSnapshot(archive, 'base', 'bob', 'carol'))).code).toBe('refused');
    expect((await refusal(spawnAs('carol'))).message).toMatch(/'carol' may not spawn snapshot 'base'/);
    await archive.close();
  });

  it('the acting principal comes from the flag, then CAPSIM_PRINCIPAL, then the OS user; a malformed one is refused', () => {
    expect(actingPrincipal('dave', { CAPSIM_PRINCIPAL: 'erin' })).toBe('dave');
    expect(actingPrincipal(undefined, { CAPSIM_PRINCIPAL: 'erin' })).toBe('erin');
    expect(actingPrincipal(undefined, {})).toMatch(/^[A-Za-z0-9]/);
    expect(() => actingPrincipal('no spaces', {})).toThrow(/principal name 'no spaces' is not valid/);
  });
});

describe('the grid', () => {
  it('spawns instances into their own folders, lists them with their state hash, saves one under a new name, and booms it', async () => {
    const archive = await archiveWith('base', 'alice');
    const grid = new Grid(join(dir, 'grid'), clock);
    const one = await grid.spawn(archive, 'memory', 'base', { principal: 'alice', spec: counter });
    const two = await grid.spawn(archive, 'memory', 'base', { principal: 'alice', spec: counter });
    expect([one.instance.name, two.instance.name]).toEqual(['base-1', 'base-2']);
    expect(two.instance.stateHash).toBe(one.instance.stateHash);
    expect(existsSync(grid.instancePath('base-1'))).toBe(true);
    expect(grid.instances().map((i) => [i.name, i.snapshot, i.owner, i.created])).toEqual([
      ['base-1', 'base', 'alice', clock()],
      ['base-2', 'base', 'alice', clock()],
    ]);
    const taken = await refusal(grid.spawn(archive, 'memory', 'base', { principal: 'alice', spec: counter, as: 'base-1' }));
    expect(taken.code).toBe('exists');

    // save-as: the instance's state under a new name (its boot moved the ID mark, so the
    // records root and the snapshot root are new), and that name spawns one state too (I7).
    const saved = await grid.saveAs(archive, 'base-1', 'copy', { principal: 'alice' });
    expect(saved.info.blocksWritten).toBeGreaterThan(0);
    expect(saved.info.owner).toBe('alice');
    const c = await grid.spawn(archive, 'memory', 'copy', { principal: 'alice', spec: counter, as: 'c' });
    const d = await grid.spawn(archive, 'memory', 'copy', { principal: 'alice', spec: counter, as: 'd' });
    expect(d.instance.stateHash).toBe(c.instance.stateHash);
    await grid.boom('d', 'alice');
    expect((await refusal(grid.saveAs(archive, 'base-1', 'theft', { principal: 'bob' }))).message).toMatch(/'bob' may not save instance 'base-1': it belongs to 'alice'/);

    expect((await refusal(grid.boom('base-1', 'bob'))).code).toBe('refused');
    await grid.boom('base-1', 'alice');
    expect(existsSync(grid.instancePath('base-1'))).toBe(false);
    expect(Object.keys(readRegistry(grid.dir).instances)).toEqual(['base-2', 'c']);
    const wrong = await refusal(grid.boom('base-9', 'alice'));
    expect(wrong.code).toBe('unknown_instance');
    expect(wrong.message).toMatch(/no instance 'base-9' .*instances: base-2, c/);
    await archive.close();
  });

  it('a refused spawn leaves no folder and no registry entry behind', async () => {
    const archive = await archiveWith('private', 'alice');
    const grid = new Grid(join(dir, 'grid2'), clock);
    await refusal(grid.spawn(archive, 'memory', 'private', { principal: 'mallory', spec: counter, as: 'x' }));
    expect(existsSync(grid.instancePath('x'))).toBe(false);
    expect(grid.instances()).toEqual([]);
    await archive.close();
  });
});
