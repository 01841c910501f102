/**
 * An operator's revoke of a stopped store (what `capsim sturdy revoke` writes: the record,
 * revoked, in one synced batch) holds at the next boot under every model, and after later
 * power losses too. Under the transcript model the token is made after the checkpoint, so the
 * boot's replay makes it again: the revocation must go over what the replay made, and be kept
 * by a checkpoint, so that a later replay of the cranks that saw it refused runs alike. The
 * same holds for a revocation whose record was synced while its crank's entry was lost.
 */
import { describe, expect, it } from 'vitest';
import { KernelError, parseToken, type Program, type SystemSpec } from '../../../kernel/index.ts';
import { PERSISTENCE_MODELS, System, violations } from '../../../restart-agent/index.ts';
import { MemoryDisk, openStore } from '../../../store/index.ts';
import { holderSystem } from './holder-system.ts';

type Command = 'make' | 'try' | 'unsturdy';

/** Makes a token of its service capability and keeps it in its book; tries or revokes it on command. */
const holder: Program<{ tries: string[] }> = {
  init: () => ({ tries: [] }),
  receive(ctx, state, message) {
    const book = ctx.lookup('book') as number;
    if (message.payload === 'make') {
      ctx.write(book, { token: ctx.sturdy(ctx.lookup('svc') as number) });
      return state;
    }
    const { token } = ctx.read(book) as { token: string };
    try {
      if (message.payload === 'unsturdy') ctx.unsturdy(token);
      else ctx.delete(ctx.restore(ctx.lookup('gate') as number, token));
      return { tries: [...state.tries, 'ok'] };
    } catch (err) {
      if (err instanceof KernelError) return { tries: [...state.tries, err.code] };
      throw err;
    }
  },
};

function spec(commands: Command[]): SystemSpec {
  return holderSystem({ name: 'operator-revoke', description: 'a token revoked by the operator while the system is stopped', holder: holder as Program<never>, svcRights: 'rw', commands });
}

function holderOf(system: System): { tries: string[]; token: string } {
  const p = [...system.kernel.processes()].find((q) => q.program === 'holder');
  const book = p?.named.get('book');
  if (p === undefined || book === undefined || book.object.kind !== 'storage') throw new Error('no holder');
  return { tries: (p.state as { tries: string[] }).tries, token: (book.object.data as { token: string }).token };
}

/** What `capsim sturdy revoke` does to a stopped store. */
async function operatorRevoke(disk: MemoryDisk, id: number): Promise<void> {
  const store = await openStore({ backend: 'memory', disk, create: false });
  const record = await store.sturdy.get(id);
  if (record === undefined) throw new Error(`no sturdy record ${id}`);
  const tx = store.begin();
  tx.putSturdy({ ...record, revoked: true });
  await store.commit(tx, { sync: true });
  await store.close();
}

/** What the restart's report says of tokens: no more authority, no revocation undone. */
const REVOCATION_VERDICTS = ['I4 no amplification', 'I5 revocation'];

function pick(verdicts: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, verdicts[n] ?? 'missing']));
}

describe("an operator's revoke of a stopped store", () => {
  for (const model of PERSISTENCE_MODELS) {
    it(`${model}: holds at the next boot and after later power losses`, async () => {
      const disk = new MemoryDisk();
      const commands: Command[] = ['make', 'try'];
      const first = await System.create({ spec: spec(commands), store: { backend: 'memory', disk }, model, seed: 9, syncEvery: 1, checkpointEvery: 0 });
      await first.run(50);
      const { tries, token } = holderOf(first);
      expect(tries).toEqual(['ok']);
      // The checkpoint models keep only what a checkpoint holds; the transcript model's boot replays the cranks after it.
      if (model === 'checkpoint' || model === 'both') await first.checkpoint();
      await first.close();
      await operatorRevoke(disk, parseToken(token)?.id ?? -1);

      // A System opened anew feeds its description's inputs from the first one again.
      const later: Command[] = ['try'];
      const { system, report: booted } = await System.open({ spec: spec(later), store: { backend: 'memory', disk } });
      expect(violations(pick(booted.invariants, REVOCATION_VERDICTS))).toEqual([]);
      if (model === 'transcript') {
        const names = booted.phases.map((p) => p.name);
        expect(names.indexOf('overlay sturdy references')).toBeGreaterThan(names.indexOf('replay transcript'));
        expect(booted.phases.find((p) => p.name === 'overlay sturdy references')?.detail).toMatch(/^1 revoked and 0 made that the replay did not reproduce/);
      }
      expect(system.kernel.sturdy.get(parseToken(token)?.id ?? -1)?.revoked).toBe(true);
      await system.run(50);
      expect(holderOf(system).tries.at(-1)).toBe('token_revoked');
      for (let loss = 0; loss < 2; loss++) {
        later.push('try');
        await system.run(50);
        await system.powerLoss();
        const report = await system.restart();
        expect(violations(pick(report.invariants, REVOCATION_VERDICTS)), `power loss ${loss + 1}`).toEqual([]);
        if (model === 'transcript') expect(report.invariants['I10 after replay'], `power loss ${loss + 1}`).toBe('ok');
        later.push('try');
        await system.run(50);
        expect(holderOf(system).tries.at(-1), `power loss ${loss + 1}`).toBe('token_revoked');
      }
      await system.close();
    });
  }
});

describe('a sturdy record synced ahead of its transcript entry', () => {
  it('transcript: a revocation whose crank the power loss took stays made, and later replays run alike', async () => {
    const commands: Command[] = ['make', 'try', 'unsturdy'];
    // Entries are synced every 10th: the unsturdy's entry is lost, its record (synced in its own batch) is not.
    const system = await System.create({ spec: spec(commands), store: { backend: 'memory', disk: new MemoryDisk() }, model: 'transcript', seed: 4, syncEvery: 10, checkpointEvery: 0 });
    await system.run(50);
    const id = parseToken(holderOf(system).token)?.id ?? -1;
    expect(system.kernel.sturdy.get(id)?.revoked).toBe(true);
    await system.powerLoss({ keepBatches: 0 });
    const report = await system.restart();
    expect(report.lostCranks).toBeGreaterThan(0);
    expect(violations(report.invariants)).toEqual([]);
    expect(report.phases.find((p) => p.name === 'overlay sturdy references')?.detail).toMatch(/^1 revoked and 0 made/);
    expect(system.kernel.sturdy.get(id)?.revoked).toBe(true);
    // Enough tries that their entries are synced: the next restart replays cranks that saw the token revoked.
    for (let i = 0; i < 10; i++) commands.push('try');
    await system.run(50);
    expect(holderOf(system).tries.at(-1)).toBe('token_revoked');
    await system.powerLoss();
    const again = await system.restart();
    expect(violations(again.invariants)).toEqual([]);
    expect(again.transcript?.replayedCranks).toBeGreaterThan(0);
    expect(system.kernel.sturdy.get(id)?.revoked).toBe(true);
    await system.close();
  });
});
