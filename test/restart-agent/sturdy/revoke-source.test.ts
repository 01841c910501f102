/**
 * Revoking the capability a token was made from revokes the token, also when the revoke comes
 * after a restart: the token's record names its nearest persisted ancestor, and is rewritten
 * when that changes (the source named after the token was made, or deleted so that the token
 * moves up to the source's parent). Under every model.
 */
import { describe, expect, it } from 'vitest';
import { KernelError, STORE_SLOT, type Program, type SystemSpec } from '../../../kernel/index.ts';
import { PERSISTENCE_MODELS, System } from '../../../restart-agent/system.ts';
import { MemoryDisk } from '../../../store/index.ts';
import { holderSystem } from './holder-system.ts';

type Command = { op: 'make' } | { op: 'makeNamed' } | { op: 'name' } | { op: 'deleteCopy' } | { op: 'revokeCopy' } | { op: 'revokeRoot' } | { op: 'try' };

/** Makes a copy of its service capability and a token of the copy; names, deletes or revokes on command; tries the token. */
const holder: Program<{ copy: number | null; tries: string[] }> = {
  init: (ctx) => ({ copy: ctx.lookup('copy'), tries: [] }),
  receive(ctx, state, message) {
    const c = message.payload as Command;
    const book = ctx.lookup('book') as number;
    switch (c.op) {
      case 'make': {
        const copy = ctx.copy(ctx.lookup('svc') as number);
        ctx.write(book, { token: ctx.sturdy(copy) });
        return { ...state, copy };
      }
      case 'makeNamed': {
        const copy = ctx.copy(ctx.lookup('svc') as number);
        ctx.register(STORE_SLOT, 'copy', copy);
        ctx.write(book, { token: ctx.sturdy(copy) });
        return { ...state, copy };
      }
      case 'name':
        if (state.copy !== null) ctx.register(STORE_SLOT, 'copy', state.copy);
        return state;
      case 'deleteCopy':
        if (state.copy !== null) ctx.delete(state.copy);
        return { ...state, copy: null };
      case 'revokeCopy':
        if (state.copy !== null) ctx.revoke(state.copy);
        return state;
      case 'revokeRoot':
        ctx.revoke(ctx.lookup('svc') as number);
        return state;
      case 'try': {
        const { token } = ctx.read(book) as { token: string };
        try {
          ctx.delete(ctx.restore(ctx.lookup('gate') as number, token));
          return { ...state, tries: [...state.tries, 'ok'] };
        } catch (err) {
          if (err instanceof KernelError) return { ...state, tries: [...state.tries, err.code] };
          throw err;
        }
      }
    }
  },
};

function spec(commands: Command[]): SystemSpec {
  return holderSystem({ name: 'revoke-source', description: 'a token whose source is named, deleted or revoked across restarts', holder: holder as Program<never>, svcRights: 'rwg', commands });
}

/** Runs `before`, a power loss, then `after`; returns what the tries after the restart said (the explicit model forgets the earlier ones). */
async function tries(model: (typeof PERSISTENCE_MODELS)[number], before: Command[], after: Command[]): Promise<string[]> {
  const commands = [...before];
  const system = await System.create({ spec: spec(commands), store: { backend: 'memory', disk: new MemoryDisk() }, model, syncEvery: 1 });
  await system.run(50);
  if (system.checkpointing) await system.checkpoint();
  await system.powerLoss();
  await system.restart();
  commands.push(...after);
  await system.run(50);
  const p = [...system.kernel.processes()].find((q) => q.program === 'holder');
  await system.close();
  return (p?.state as { tries: string[] }).tries.slice(-after.filter((c) => c.op === 'try').length);
}

describe('revoking the source of a token, across a restart', () => {
  for (const model of PERSISTENCE_MODELS) {
    it(`${model}: a source named after the token was made still reaches it after the restart`, async () => {
      expect(await tries(model, [{ op: 'make' }, { op: 'name' }, { op: 'try' }], [{ op: 'try' }, { op: 'revokeCopy' }, { op: 'try' }])).toEqual(['ok', 'token_revoked']);
    });

    it(`${model}: a deleted source hands the token to its parent, whose revoke reaches it after the restart`, async () => {
      expect(await tries(model, [{ op: 'makeNamed' }, { op: 'deleteCopy' }], [{ op: 'try' }, { op: 'revokeRoot' }, { op: 'try' }])).toEqual(['ok', 'token_revoked']);
    });
  }
});
