/**
 * A system for sturdy-reference properties, driven by a list of operations a test draws:
 *   make(rights, badge)  the maker copies its service capability under a new name, mints a
 *                        diminished, badged copy of that, makes a token of it, drops the copy
 *                        (the token now hangs under the named one), and books the token with
 *                        the rights and badge it was made with;
 *   restore(k)           the user resolves token k through its gatekeeper and records what came
 *                        back (rights, badge) or the error code;
 *   unsturdy(k)          the maker revokes token k;
 *   revokeSource(k)      the maker revokes the named capability token k was made from.
 * The book and the user's record are in storage, so they survive every model's restart.
 */
import { KernelError, STORE_SLOT, type InputSpec, type Program, type SystemSpec } from '../../../kernel/index.ts';

export type LabOp =
  | { op: 'make'; rights: number; badge: number }
  | { op: 'restore'; k: number }
  | { op: 'unsturdy'; k: number }
  | { op: 'revokeSource'; k: number };

export type Booked = {
  token: string;
  rights: number;
  badge: number;
};

export type Seen = {
  k: number;
  rights?: number;
  badge?: number;
  code?: string;
};

const owner: Program<null> = { init: () => null, receive: () => null };

const maker: Program<null> = {
  init: () => null,
  receive(ctx, _state, message) {
    const p = message.payload as LabOp;
    const bookSlot = ctx.lookup('book') as number;
    const book = (ctx.read(bookSlot) as unknown as { tokens: Booked[] }).tokens;
    if (p.op === 'make') {
      const k = book.length;
      const source = ctx.copy(ctx.lookup('svc') as number);
      ctx.register(STORE_SLOT, `src${k}`, source);
      const copy = ctx.mint(source, p.rights, p.badge);
      const token = ctx.sturdy(copy);
      const info = ctx.identify(copy);
      ctx.delete(copy);
      ctx.write(bookSlot, { tokens: [...book, { token, rights: info?.rights ?? -1, badge: info?.badge ?? -1 }] });
      return null;
    }
    const booked = book[p.k];
    if (booked === undefined) return null;
    try {
      if (p.op === 'unsturdy') ctx.unsturdy(booked.token);
      else if (p.op === 'revokeSource') {
        const source = ctx.lookup(`src${p.k}`);
        if (source !== null) ctx.revoke(source);
      }
    } catch (err) {
      if (!(err instanceof KernelError)) throw err;
    }
    return null;
  },
};

const user: Program<null> = {
  init: () => null,
  receive(ctx, _state, message) {
    const p = message.payload as LabOp;
    if (p.op !== 'restore') return null;
    const book = (ctx.read(ctx.lookup('book') as number) as unknown as { tokens: Booked[] }).tokens;
    const booked = book[p.k];
    if (booked === undefined) return null;
    const seenSlot = ctx.lookup('seen') as number;
    const seen = (ctx.read(seenSlot) as unknown as { seen: Seen[] }).seen;
    let entry: Seen;
    try {
      const slot = ctx.restore(ctx.lookup('gate') as number, booked.token);
      const info = ctx.identify(slot);
      ctx.delete(slot);
      entry = { k: p.k, rights: info?.rights ?? -1, badge: info?.badge ?? -1 };
    } catch (err) {
      if (!(err instanceof KernelError)) throw err;
      entry = { k: p.k, code: err.code };
    }
    // Bounded: the last 64 results are enough to judge.
    ctx.write(seenSlot, { seen: [...seen, entry].slice(-64) });
    return null;
  },
};

/** `ops` is read as the system asks for input, so a test may append to it between runs. */
export function labSpec(ops: readonly LabOp[]): SystemSpec {
  const input = (i: number): InputSpec | null => {
    const op = ops[i];
    if (op === undefined) return null;
    return { to: op.op === 'restore' ? 'user-in' : 'maker-in', payload: op };
  };
  return {
    name: 'sturdy-lab',
    description: 'tokens made, restored and revoked at random',
    programs: { owner, maker, user },
    processes: [
      { name: 'owner', program: 'owner' },
      { name: 'maker', program: 'maker' },
      { name: 'user', program: 'user' },
    ],
    gatekeepers: ['gate'],
    endpoints: [
      { name: 'svc', owner: 'owner' },
      { name: 'maker-in', owner: 'maker' },
      { name: 'user-in', owner: 'user' },
    ],
    storage: [
      { name: 'book', owner: 'maker', data: { tokens: [] } },
      { name: 'seen', owner: 'user', data: { seen: [] } },
    ],
    caps: [
      { holder: 'maker', name: 'svc', target: 'svc', rights: 'rwg' },
      { holder: 'user', name: 'gate', target: 'gate', rights: 'r' },
      { holder: 'user', name: 'book', target: 'book', rights: 'r' },
    ],
    input,
  };
}
