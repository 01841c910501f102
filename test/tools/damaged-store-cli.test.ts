/**
 * A damaged store as a user meets it on the command line: bytes written into LevelDB's log, the
 * log cut short, single records deleted (a registration, the model mark, the newest
 * checkpoint's manifest, a block it needs), a store path that is a file, a read-only store, a
 * quarantined process. `verify` names each problem and exits 1; `status` exits 1; `boot`, `ps`
 * and `caps` refuse or list what they set aside, in one line, never "internal error".
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../examples/index.ts';
import { System, type BuiltInModelName } from '../../restart-agent/index.ts';
import { expectOneLineError, runCapsim } from '../support/cli.ts';
import { withRaw } from '../support/damaged-stores.ts';

const root = mkdtempSync(join(tmpdir(), 'capsim-damaged-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let made = 0;

/** A bank store, every commit synced, its records still in LevelDB's log. */
async function bankStore(model: BuiltInModelName = 'explicit'): Promise<string> {
  const path = join(root, `store-${made++}`);
  const system = await System.create({ spec: EXAMPLES.bank!, store: { backend: 'classic', path }, model, syncEvery: 1, checkpointEvery: 5, seed: 3 });
  await system.run(30);
  await system.close();
  return path;
}


async function keysWith(path: string, prefix: string): Promise<string[]> {
  return withRaw(path, async (db) => {
    const keys: string[] = [];
    for await (const key of db.keys({ gte: prefix, lt: `${prefix}\uffff` })) keys.push(key);
    return keys;
  });
}

function logOf(path: string): string {
  const log = readdirSync(path).find((f) => f.endsWith('.log'));
  return join(path, log!);
}

describe('verify, boot and status on a damaged store', () => {
  it('40 bytes written into the log: verify names the loss and exits 1, boot refuses', async () => {
    const path = await bankStore();
    const log = logOf(path);
    const bytes = readFileSync(log);
    // Into the middle of the log: LevelDB drops what follows in that block without a word.
    for (let i = 0; i < 40; i++) bytes[(bytes.length >> 1) + i] = (i * 37 + 11) & 0xff;
    writeFileSync(log, bytes);
    const verify = await runCapsim(['verify', '--store', path]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).not.toMatch(/^ok/m);
    expect(verify.stdout).toMatch(/rolled back|missing or extra record/);
    expectOneLineError(await runCapsim(['boot', '--store', path]), 1, /store: (rolled_back|damaged)/);
  });

  it('the log cut short: verify names the commits lost, exit 1', async () => {
    const path = await bankStore();
    const log = logOf(path);
    truncateSync(log, readFileSync(log).length >> 1);
    const verify = await runCapsim(['verify', '--store', path]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/rolled back .*commits \d+\.\.\d+ are lost/);
  });

  it('a registration deleted: verify says a registration record is missing, exit 1', async () => {
    const path = await bankStore();
    const [first] = await keysWith(path, 'r');
    await withRaw(path, (db) => db.del(first!));
    const verify = await runCapsim(['verify', '--store', path]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/missing or extra record +registration records: 1 registration record\(s\) missing/);
    const status = await runCapsim(['status', '--store', path]);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/problem +registration records/);
  });

  it('the model mark of a checkpoint store deleted: boot refuses naming it, instead of booting an empty explicit system', async () => {
    const path = await bankStore('checkpoint');
    await withRaw(path, (db) => db.del('d/model/checkpoint'));
    expectOneLineError(await runCapsim(['boot', '--store', path]), 1, /store: damaged: model mark: /);
    const verify = await runCapsim(['verify', '--store', path]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/missing mark +model mark/);
  });

  it("the newest checkpoint's manifest deleted: verify exits 1", async () => {
    const path = await bankStore('checkpoint');
    const manifests = await keysWith(path, 'c');
    await withRaw(path, (db) => db.del(manifests[manifests.length - 1]!));
    const verify = await runCapsim(['verify', '--store', path]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/checkpoint record\(s\) missing/);
    expectOneLineError(await runCapsim(['boot', '--store', path]), 1, /store: damaged: checkpoint records/);
  });

  it('a block the newest checkpoint needs deleted: verify names the checkpoint and the block; boot refuses instead of falling back', async () => {
    const path = await bankStore('checkpoint');
    const status = JSON.parse((await runCapsim(['status', '--store', path, '--json'])).stdout) as { newestCheckpoint: { seq: number } };
    const seq = status.newestCheckpoint.seq;
    const manifest = await withRaw(path, async (db) => {
      const keys: string[] = [];
      for await (const key of db.keys({ gte: 'c', lt: 'd' })) keys.push(key);
      return db.get(keys[keys.length - 1]!);
    });
    // The root block's hash is in the manifest's bytes: find the block whose hash appears there.
    const text = Buffer.from(manifest!).toString('latin1');
    const root = (await keysWith(path, 'b')).find((k) => text.includes(k.slice(1)));
    await withRaw(path, (db) => db.del(root!));
    const verify = await runCapsim(['verify', '--store', path]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`checkpoint needs a missing block  checkpoint ${seq}: needs block ${root!.slice(1)} is missing`);
    expectOneLineError(await runCapsim(['boot', '--store', path]), 1, new RegExp(`store: damaged: checkpoint ${seq}: root block ${root!.slice(1)} is missing`));
  });

  it('a damaged registration: ps lists the quarantined process with its reason and exits 1; caps says so', async () => {
    const path = await bankStore();
    const [first] = await keysWith(path, 'r');
    await withRaw(path, async (db) => {
      const value = new Uint8Array((await db.get(first!))!);
      value[value.length - 2]! ^= 0x01;
      await db.put(first!, value);
    });
    const pid = parseInt(first!.slice(1), 16);
    const ps = await runCapsim(['ps', '--store', path]);
    expect(ps.code).toBe(1);
    expect(ps.stdout).toMatch(new RegExp(`^${pid} .*quarantined: damaged: checksum mismatch`, 'm'));
    expectOneLineError(await runCapsim(['caps', `p${pid}`, '--store', path]), 1, new RegExp(`p${pid} is quarantined: damaged`));
  });
});

describe('LevelDB failures are one-line store errors', () => {
  it('a store path that is a regular file', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a store');
    for (const command of ['verify', 'boot']) expectOneLineError(await runCapsim([command, '--store', file]), 1, /store: not_a_store: .*is a file, not a store folder/);
    // A new store below it: the folder cannot be made (ENOTDIR).
    expectOneLineError(await runCapsim(['run', 'bank', '--cranks', '1', '--store', join(file, 'below')]), 1, /store: not_a_store: .*a file stands where a folder of the path should be/);
  });

  it('a corrupted table file: verify and boot say LevelDB reports corruption', async () => {
    const path = await bankStore();
    // Reopening moves the log into an .ldb table.
    await withRaw(path, async () => undefined);
    const table = join(path, readdirSync(path).find((f) => f.endsWith('.ldb'))!);
    const bytes = readFileSync(table);
    for (let i = 0; i < 200; i++) bytes[20 + i] = 0xaa;
    writeFileSync(table, bytes);
    for (const command of ['verify', 'boot']) {
      const r = await runCapsim([command, '--store', path]);
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(/internal error/);
    }
  });

  it('a read-only store can still be verified', async () => {
    const path = await bankStore();
    const readOnly = makeReadOnly(path);
    try {
      const verify = await runCapsim(['verify', '--store', readOnly]);
      expect(verify.stderr).toBe('');
      expect(verify.stdout).toMatch(/^ok: \d+ records/m);
      expect(verify.code).toBe(0);
      expectOneLineError(await runCapsim(['boot', '--store', readOnly]), 1, /store: (read_only|io_error): /);
    } finally {
      undoReadOnly(path, readOnly);
    }
  });
});

/**
 * A read-only view of a folder: a read-only bind mount where the process may mount (root), else
 * the permission bits (which bind everyone but root).
 */
function makeReadOnly(path: string): string {
  const view = `${path}-ro`;
  mkdirSync(view);
  try {
    execFileSync('mount', ['--bind', path, view], { stdio: 'ignore' });
    execFileSync('mount', ['-o', 'remount,ro,bind', view], { stdio: 'ignore' });
    return view;
  } catch {
    rmSync(view, { recursive: true, force: true });
    for (const f of readdirSync(path)) chmodSync(join(path, f), 0o444);
    chmodSync(path, 0o555);
    return path;
  }
}

function undoReadOnly(path: string, view: string): void {
  if (view !== path) {
    execFileSync('umount', [view], { stdio: 'ignore' });
    rmSync(view, { recursive: true, force: true });
    return;
  }
  chmodSync(path, 0o755);
  for (const f of readdirSync(path)) chmodSync(join(path, f), 0o644);
}
