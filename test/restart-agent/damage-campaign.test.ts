/**
 * The damage campaign (DESIGN.md I15): real classic-level stores of the bank example under each
 * persistence model, damaged from outside as a disk or an operator would — a byte flipped in a
 * record of every kind, each kind of record deleted, bytes written into and cut off LevelDB's
 * .log and .ldb files, the synced tail rolled back. In every case where the store no longer
 * holds what it held, `verify` names a problem (or refuses with a typed store error) and boot
 * refuses the store or quarantines what is damaged; none is reported whole.
 *
 * The file damage is seeded: a failure names its seed; replay with CAPSIM_SEED.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { System, SystemError, listCheckpoints, type BuiltInModelName } from '../../restart-agent/index.ts';
import { StoreError, openStore } from '../../store/index.ts';
import { verifyFolder } from '../../tools/cli/commands/verify.ts';
import { bank, copyStore, deleteKey, filesOf, flipValue, keysOf, makeBankStore, rawEntries, rollBackTo, sameEntries, scribble, settle, truncate } from '../support/damaged-stores.ts';
import { runSeed } from '../support/seed.ts';

const root = mkdtempSync(join(tmpdir(), 'capsim-damage-campaign-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const MODELS: BuiltInModelName[] = ['explicit', 'checkpoint', 'both'];
/** Seeded cases of file damage per file kind and model. */
const FILE_CASES = 5;
const seed = runSeed();

/** What verify says: the problem kinds it names, or the code of the store error it refused with. */
async function verdictOf(path: string): Promise<{ kinds: string[]; records: string[]; error: string | null }> {
  try {
    const audit = await verifyFolder(path);
    return { kinds: audit.problems.map((p) => p.kind), records: audit.problems.map((p) => p.record), error: null };
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    return { kinds: [], records: [], error: error.code };
  }
}

/**
 * What boot does: 'refused' (a typed error), 'quarantined' (something set aside, named), or
 * 'whole'. It runs a few cranks too: the first input reads the directory's labels, which boot
 * leaves to it (restart-agent/audit.ts says why).
 */
async function bootOutcome(path: string): Promise<{ outcome: 'refused' | 'quarantined' | 'whole'; detail: string }> {
  try {
    const { system, report } = await System.open({ spec: bank, store: { backend: 'classic', path }, seed: 3 });
    await system.run(3).finally(() => system.close());
    return report.quarantined.length > 0 ? { outcome: 'quarantined', detail: report.quarantined.map((q) => q.record).join(', ') } : { outcome: 'whole', detail: '' };
  } catch (error) {
    if (error instanceof StoreError || error instanceof SystemError) return { outcome: 'refused', detail: error.message };
    throw error;
  }
}

function expectNotWhole(verdict: { kinds: string[]; error: string | null }, boot: { outcome: string }, what: string): void {
  expect(verdict.kinds.length > 0 || verdict.error !== null, `${what}: verify reported the store whole`).toBe(true);
  expect(boot.outcome, `${what}: boot took the store as whole`).not.toBe('whole');
}

/** The newest checkpoint's root block key and its own key, read without changing the store. */
async function newestCheckpointKeys(path: string): Promise<{ block: string; checkpoint: string }> {
  const store = await openStore({ backend: 'classic', path, create: false, inspect: true });
  const [newest] = await listCheckpoints(store).finally(() => store.close());
  const checkpoints = await keysOf(path, 'c');
  return { block: `b${newest!.root}`, checkpoint: checkpoints[checkpoints.length - 1]! };
}

describe.each(MODELS)('damage to a %s store', (model) => {
  const pristine = join(root, `${model}-pristine`);
  const settled = join(root, `${model}-settled`);
  let n = 0;
  const scratch = (from = pristine) => {
    const path = join(root, `${model}-case-${n++}`);
    copyStore(from, path);
    return path;
  };

  beforeAll(async () => {
    await makeBankStore(pristine, model);
    copyStore(pristine, settled);
    await settle(settled);
  }, 60_000);

  it('the undamaged store verifies whole and boots', async () => {
    const path = scratch();
    expect(await verdictOf(path)).toEqual({ kinds: [], records: [], error: null });
    expect((await bootOutcome(path)).outcome).toBe('whole');
  });

  /** The record of each kind a damage case picks, by the kind's key prefix. */
  async function victims(path: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const prefix of model === 'checkpoint' ? [] : ['r', 'o', 's']) out.set(prefix, (await keysOf(path, prefix))[0]!);
    out.set('d', `d/system/${bank.name}`);
    if (model !== 'explicit') {
      const { block, checkpoint } = await newestCheckpointKeys(path);
      out.set('b', block);
      out.set('c', checkpoint);
    }
    return out;
  }

  it('a flipped byte in a record of every kind is named as damaged, and boot refuses or quarantines', async () => {
    for (const [prefix, key] of await victims(scratch())) {
      const path = scratch();
      await flipValue(path, key);
      const verdict = await verdictOf(path);
      expect(verdict.kinds, `flipped ${key}`).toContain('damaged');
      expectNotWhole(verdict, await bootOutcome(path), `flipped ${prefix} ${key}`);
    }
  });

  it('a record of every kind deleted is found missing, and boot refuses', async () => {
    const picks = await victims(scratch());
    picks.set('model mark', `d/model/${model}`);
    for (const [what, key] of picks) {
      const path = scratch();
      await deleteKey(path, key);
      const verdict = await verdictOf(path);
      expect(verdict.kinds, `deleted ${what} ${key}`).toContain('missing_or_extra');
      if (what === 'model mark' || what === 'd') expect(verdict.kinds).toContain('missing_mark');
      if (what === 'b') expect(verdict.kinds).toContain('missing_block');
      const boot = await bootOutcome(path);
      expect(boot.outcome, `deleted ${what} ${key}: ${boot.detail}`).toBe('refused');
    }
  });

  it(`bytes written into, or cut off, the .log and .ldb files are never reported whole (seed ${seed})`, async () => {
    // Read from a copy: opening with LevelDB moves the log into a table.
    const before = await rawEntries(scratch());
    for (let i = 0; i < FILE_CASES; i++) {
      for (const [from, ending] of [
        [pristine, '.log'],
        [settled, '.ldb'],
      ] as const) {
        for (const damage of ['scribble', 'truncate'] as const) {
          const caseSeed = seed + i * 7919 + (ending === '.ldb' ? 1 : 0) + (damage === 'truncate' ? 2 : 0);
          const path = scratch(from);
          const [file] = filesOf(path, ending);
          const where = damage === 'scribble' ? `at ${scribble(file!, caseSeed).at}` : `to ${truncate(file!, caseSeed).to} bytes`;
          const what = `${damage} ${ending} ${where} (case seed ${caseSeed}; replay with CAPSIM_SEED=${seed})`;
          const after = await rawEntries(path);
          // Damage LevelDB does not notice and that changes nothing is no loss: only a changed store must be caught.
          if (sameEntries(before, after)) continue;
          expectNotWhole(await verdictOf(path), await bootOutcome(path), what);
        }
      }
    }
  }, 120_000);

  it('a synced tail rolled back (older LevelDB files under a newer witness) is named with the commits lost, and boot refuses', async () => {
    const path = scratch();
    const older = join(root, `${model}-older`);
    copyStore(path, older);
    const { system } = await System.open({ spec: bank, store: { backend: 'classic', path }, seed: 3, syncEvery: 1 });
    await system.run(10);
    await system.close();
    rollBackTo(path, older);
    const verdict = await verdictOf(path);
    expect(verdict.kinds).toContain('rolled_back');
    const boot = await bootOutcome(path);
    expect(boot.outcome).toBe('refused');
    expect(boot.detail).toMatch(/rolled back: the witness saw commit \d+ synced, the store holds commits up to \d+; commits \d+\.\.\d+ are lost/);
  });
});
