/**
 * `capsim snapshot ...` and `capsim replicate` as a user runs them: real child processes. Each
 * case has stores of its own (LevelDB lets one process hold a store at a time), so the cases run
 * concurrently; within a case the commands run in order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../examples/index.ts';
import { System } from '../../restart-agent/index.ts';
import { saveSnapshot, spawnSnapshot } from '../../restart-agent/snapshot/index.ts';
import { MemoryDisk, openStore } from '../../store/index.ts';
import { expectOneLineError, runCapsim, type CliRun } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'capsim-snapshot-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capsim(principal: string, ...args: string[]): Promise<CliRun> {
  return runCapsim(args, { CAPSIM_PRINCIPAL: principal });
}

/** A counter store at `path`, optionally with a snapshot `name` saved by alice. */
async function counterStore(path: string, name?: string): Promise<void> {
  const system = await System.create({ spec: EXAMPLES.counter!, store: { backend: 'classic', path }, seed: 4 });
  await system.run(15);
  await system.close();
  if (name === undefined) return;
  const store = await openStore({ backend: 'classic', path, create: false });
  await saveSnapshot(store, name, { principal: 'alice' });
  await store.close();
}

describe.concurrent('capsim snapshot', () => {
  it('save writes a snapshot once and refuses the name a second time; list shows it to its owner only', async () => {
    const store = join(dir, 'a');
    await counterStore(store);
    const saved = await capsim('alice', 'snapshot', 'save', 'base', '--store', store, '--json');
    expect(saved.code).toBe(0);
    const info = JSON.parse(saved.stdout) as { name: string; owner: string; blocks: number; blocksWritten: number; root: string };
    expect(info).toMatchObject({ name: 'base', owner: 'alice' });
    expect(info.blocksWritten).toBe(info.blocks);
    expectOneLineError(await capsim('alice', 'snapshot', 'save', 'base', '--store', store), 1, /snapshot 'base' exists already/);
    const listed = await capsim('bob', 'snapshot', 'list', '--store', store, '--json', '--principal', 'alice');
    expect((JSON.parse(listed.stdout) as { name: string; root: string }[]).map((s) => [s.name, s.root])).toEqual([['base', info.root]]);
    const text = await capsim('alice', 'snapshot', 'save', 'second', '--store', store);
    expect(text.stdout).toMatch(/^saved snapshot 'second' \(owner alice\): .*\nroot block [0-9a-f]{64} \(the content hash of the whole snapshot\)\n$/);
    expectOneLineError(await capsim('alice', 'snapshot', 'save', 'no/slash', '--store', store), 2, /snapshot name 'no\/slash' is not valid/);
  });

  it('spawn refuses an uninvited principal; invited, it spawns the state the library spawns; status and boom', async () => {
    const store = join(dir, 'b');
    await counterStore(store, 'base');
    expectOneLineError(await capsim('bob', 'snapshot', 'spawn', 'base', '--store', store), 1, /principal 'bob' may not spawn snapshot 'base'/);
    expect((await capsim('alice', 'snapshot', 'invite', 'bob', 'base', '--store', store)).code).toBe(0);
    const spawned = await capsim('bob', 'snapshot', 'spawn', 'base', '--store', store, '--as', 'x', '--json');
    expect(spawned.code).toBe(0);
    const { instance } = JSON.parse(spawned.stdout) as { instance: { name: string; owner: string; stateHash: string } };
    expect(instance).toMatchObject({ name: 'x', owner: 'bob' });

    // I7 across processes: the library spawns the same name to the same state hash.
    const archive = await openStore({ backend: 'classic', path: store, create: false });
    const here = await spawnSnapshot(archive, 'base', { principal: 'alice', spec: EXAMPLES.counter!, target: { backend: 'memory', disk: new MemoryDisk() } });
    await here.system.close();
    await archive.close();
    expect(instance.stateHash).toBe(here.stateHash);

    const status = JSON.parse((await capsim('bob', 'snapshot', 'status', '--store', store, '--json')).stdout) as { name: string; snapshot: string; stateHash: string }[];
    expect(status.map((s) => [s.name, s.snapshot, s.stateHash])).toEqual([['x', 'base', here.stateHash]]);
    const boomed = await capsim('bob', 'snapshot', 'boom', 'x', '--store', store, '--json');
    expect(boomed.code).toBe(0);
    expect((JSON.parse(boomed.stdout) as { name: string }).name).toBe('x');
  });

  it('replicate copies the blocks and names once; a second run copies nothing; boom of a wrong name is one line', async () => {
    const from = join(dir, 'c');
    const to = join(dir, 'c-replica');
    await counterStore(from, 'base');
    const first = JSON.parse((await capsim('alice', 'replicate', '--from', from, '--to', to, '--json')).stdout) as { blocksCopied: number; snapshotsCopied: string[] };
    expect(first.snapshotsCopied).toEqual(['base']);
    expect(first.blocksCopied).toBeGreaterThan(0);
    const second = await capsim('alice', 'replicate', '--from', from, '--to', to);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/blocks copied {5}0 \(0 bytes\)/);
    expect(second.stdout).toMatch(/skipped {11}1/);
    expectOneLineError(await capsim('alice', 'replicate', '--from', from, '--to', from), 2, /same store/);
    expectOneLineError(await capsim('alice', 'snapshot', 'boom', 'y', '--store', from), 1, /no instance 'y' in the grid .*c\.grid; instances: none/);
  });
});
