/**
 * Repair (restart-agent/repair.ts) on real classic-level stores: it sets aside what is damaged,
 * accepts what is lost, says each, and leaves a store that verifies whole and boots.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { System, listCheckpoints, repairStore, type RepairReport } from '../../restart-agent/index.ts';
import { openStore } from '../../store/index.ts';
import { verifyFolder } from '../../tools/cli/commands/verify.ts';
import { bank, copyStore, deleteKey, flipValue, keysOf, makeBankStore, rollBackTo } from '../support/damaged-stores.ts';

const root = mkdtempSync(join(tmpdir(), 'capsim-repair-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function repair(path: string): Promise<RepairReport> {
  const store = await openStore({ backend: 'classic', path, create: false, repair: true });
  try {
    return await repairStore(store);
  } finally {
    await store.close();
  }
}

function action(report: RepairReport, record: string): string | undefined {
  return report.actions.find((a) => a.record === record)?.action;
}

describe('capsim repair', () => {
  it('sets aside a damaged registration, accepts a deleted storage object, and the store verifies whole and boots without them', async () => {
    const path = join(root, 'explicit');
    await makeBankStore(path, 'explicit');
    const [registration] = await keysOf(path, 'r');
    const [storage] = await keysOf(path, 's');
    await flipValue(path, registration!);
    await deleteKey(path, storage!);
    const pid = parseInt(registration!.slice(1), 16);

    const report = await repair(path);
    expect(action(report, `registration ${pid}`)).toBe('set aside');
    expect(action(report, 'storage records')).toBe('accepted');
    expect(report.unresolved).toEqual([]);
    expect((await verifyFolder(path)).problems).toEqual([]);
    const { system, report: boot } = await System.open({ spec: bank, store: { backend: 'classic', path } });
    expect(boot.restored.map((r) => r.pid)).not.toContain(pid);
    await system.close();
  });

  it('sets aside a newest checkpoint that lacks a block: boot then resumes at the one before, and nothing is silent', async () => {
    const path = join(root, 'checkpoint');
    await makeBankStore(path, 'checkpoint');
    const inspect = await openStore({ backend: 'classic', path, create: false, inspect: true });
    const [newest, older] = await listCheckpoints(inspect);
    await inspect.close();
    await deleteKey(path, `b${newest!.root}`);
    await expect(System.open({ spec: bank, store: { backend: 'classic', path } })).rejects.toMatchObject({ code: 'damaged', record: `checkpoint ${newest!.seq}` });

    const report = await repair(path);
    expect(action(report, `checkpoint ${newest!.seq}`)).toBe('set aside');
    expect(report.unresolved).toEqual([]);
    expect((await verifyFolder(path)).problems).toEqual([]);
    const { system, report: boot } = await System.open({ spec: bank, store: { backend: 'classic', path } });
    expect(boot.checkpoint?.seq).toBe(older!.seq);
    await system.close();
  });

  it('accepts a rollback, naming the commits lost, and moves the witness on', async () => {
    const path = join(root, 'rolled');
    const older = join(root, 'rolled-older');
    await makeBankStore(path, 'explicit');
    copyStore(path, older);
    const { system } = await System.open({ spec: bank, store: { backend: 'classic', path }, syncEvery: 1 });
    await system.run(5);
    await system.close();
    rollBackTo(path, older);

    const report = await repair(path);
    expect(report.actions.find((a) => a.record === 'store')).toMatchObject({ action: 'accepted', reason: expect.stringMatching(/commits \d+\.\.\d+ are lost/) });
    expect(report.unresolved).toEqual([]);
    const audit = await verifyFolder(path);
    expect(audit.problems).toEqual([]);
    expect(audit.witnessed).toBe(audit.commits);
    const reopened = await System.open({ spec: bank, store: { backend: 'classic', path } });
    await reopened.system.close();
  });
});
