/**
 * file-server — handles as badged capabilities, and reclaiming them when a client dies.
 *
 * A client opens a file by calling the server and handing it (with grant) a capability to the
 * client's own inbox. The server mints a fresh badge for the handle from its service endpoint,
 * keeps that grant under the name `handle:<badge>` and the client's inbox under
 * `client:<badge>`, and replies with a child of the grant: the client's handle. Whatever
 * arrives later with that badge is an operation on that handle; the server keeps each
 * handle's state (file, offset) keyed by badge, in a storage object it reads back in init.
 *
 * What it teaches: a server that hands out capabilities must take them back when the holder
 * is gone, or its tables only ever grow. The kernel sends no death notices; the server notices
 * instead, in two ways:
 *  - a sweep (an admin input) sends each client a one-way lease note; a note to a process
 *    that was terminated fails with KernelError 'revoked', and the server revokes that
 *    handle's grant, forgets both names and the table entry;
 *  - after a restart the agent leaves an empty slot where a gone client's inbox was, and the
 *    server's init reclaims those handles the same way.
 * The clients run under a temporary restart policy: a client that faults is terminated, not
 * restarted, and everything it held is reclaimed by the kernel.
 */
import { GRANT, KernelError, READ, STORE_SLOT, WRITE, type Ctx, type InputSpec, type Program, type SystemSpec } from '../kernel/index.ts';

type Handle = {
  file: string;
  offset: number;
};

/** A type, not an interface, so that it is plain data to the type checker too. */
type Table = {
  next: number;
  /** badge → the handle's state */
  handles: Record<string, Handle>;
  files: Record<string, string>;
};

const table = (ctx: Ctx): number => ctx.lookup('table') as number;

/** Takes back the handle with this badge: revoke the grant (and so the client's copy), forget it. */
function reclaim(ctx: Ctx, t: Table, badge: string): Table {
  for (const name of [`handle:${badge}`, `client:${badge}`]) {
    const slot = ctx.lookup(name);
    if (slot === null) continue;
    if (name.startsWith('handle:')) ctx.revoke(slot);
    ctx.unregister(STORE_SLOT, name);
    ctx.delete(slot);
  }
  const { [badge]: _gone, ...handles } = t.handles;
  ctx.log(`handle ${badge} reclaimed`);
  return { ...t, handles };
}

/** False when the client behind `badge` is gone (its inbox is an empty slot or refuses with 'revoked'). */
function clientAlive(ctx: Ctx, badge: string): boolean {
  const inbox = ctx.lookup(`client:${badge}`);
  if (inbox === null) return false;
  try {
    ctx.send(inbox, { lease: Number(badge) });
    return true;
  } catch (err) {
    if (err instanceof KernelError && err.code === 'revoked') return false;
    throw err;
  }
}

const server: Program<Table> = {
  init(ctx) {
    let t = ctx.read(table(ctx)) as unknown as Table;
    // After a restart, a client that is gone left an empty slot: reclaim its handles now.
    for (const badge of Object.keys(t.handles)) if (ctx.lookup(`client:${badge}`) === null) t = reclaim(ctx, t, badge);
    ctx.write(table(ctx), t);
    return t;
  },
  receive(ctx, t, message) {
    const p = message.payload as { open?: string; write?: string } | string;
    let next = t;
    if (message.badge !== 0) {
      // An operation on a handle: the badge says which.
      const badge = String(message.badge);
      const h = t.handles[badge];
      if (h !== undefined && typeof p === 'object' && typeof p.write === 'string') {
        const content = (t.files[h.file] ?? '') + p.write;
        next = { ...t, files: { ...t.files, [h.file]: content }, handles: { ...t.handles, [badge]: { ...h, offset: h.offset + p.write.length } } };
      }
      if (message.reply !== null) ctx.reply(message.reply, h === undefined ? null : next.handles[badge]?.offset ?? null);
    } else if (typeof p === 'object' && typeof p.open === 'string' && message.reply !== null && message.caps[0] !== undefined) {
      const badge = String(t.next);
      const grant = ctx.mint(ctx.lookup('fs') as number, READ | WRITE, t.next);
      ctx.register(STORE_SLOT, `handle:${badge}`, grant);
      ctx.register(STORE_SLOT, `client:${badge}`, message.caps[0]);
      const forClient = ctx.mint(grant, READ | WRITE);
      ctx.reply(message.reply, { handle: t.next, file: p.open }, [forClient]);
      ctx.delete(forClient);
      next = { ...t, next: t.next + 1, handles: { ...t.handles, [badge]: { file: p.open, offset: 0 } } };
    } else if (p === 'sweep') {
      for (const badge of Object.keys(t.handles)) if (!clientAlive(ctx, badge)) next = reclaim(ctx, next, badge);
    }
    if (next !== t) ctx.write(table(ctx), next);
    return next;
  },
};

/** The names a client holds its handles under: `file:<name>`. */
const client: Program<{ open: string[] }> = {
  init(ctx) {
    return { open: ctx.names(STORE_SLOT).filter((n) => n.startsWith('file:')) };
  },
  receive(ctx, state, message) {
    const p = message.payload as { open?: string; write?: string; text?: string; lease?: number; file?: string } | string;
    if (message.type === 'reply' && typeof p === 'object' && typeof p.file === 'string' && message.caps[0] !== undefined) {
      ctx.register(STORE_SLOT, `file:${p.file}`, message.caps[0]);
      return { open: [...state.open, `file:${p.file}`] };
    }
    if (message.type !== 'send' || typeof p !== 'object') {
      if (p === 'crash') throw new Error('the client crashed');
      return state;
    }
    if (typeof p.open === 'string') {
      const back = ctx.mint(ctx.lookup(ctx.self.args[0] as string) as number, WRITE);
      ctx.call(ctx.lookup('fs') as number, { open: p.open }, [back]);
      ctx.delete(back);
    } else if (typeof p.write === 'string' && typeof p.text === 'string') {
      const handle = ctx.lookup(`file:${p.write}`);
      if (handle !== null) ctx.send(handle, { write: p.text });
    }
    return state;
  },
};

const temporary = { mode: 'temporary' as const };

/** What the example's input does, in order; tests index it to stop between steps. */
export const SCRIPT: readonly InputSpec[] = [
  { to: 'alice-inbox', payload: { open: 'notes' } },
  { to: 'alice-inbox', payload: { open: 'todo' } },
  { to: 'bob-inbox', payload: { open: 'notes' } },
  { to: 'alice-inbox', payload: { write: 'notes', text: 'from alice. ' } },
  { to: 'bob-inbox', payload: { write: 'notes', text: 'from bob. ' } },
  { to: 'alice-inbox', payload: { write: 'todo', text: 'buy milk' } },
  { to: 'fs-admin', payload: 'sweep' },
  { to: 'alice-inbox', payload: 'crash' },
  { to: 'fs-admin', payload: 'sweep' },
  { to: 'bob-inbox', payload: { write: 'notes', text: 'bob again.' } },
];

export const system: SystemSpec = {
  name: 'file-server',
  description: 'handles as badged capabilities; a dead client leaves no handle behind',
  programs: { 'file-server': server, 'fs-client': client },
  processes: [
    { name: 'server', program: 'file-server' },
    { name: 'alice', program: 'fs-client', args: ['alice-inbox'], policy: temporary },
    { name: 'bob', program: 'fs-client', args: ['bob-inbox'], policy: temporary },
  ],
  endpoints: [
    { name: 'fs', owner: 'server' },
    { name: 'fs-admin', owner: 'server' },
    { name: 'alice-inbox', owner: 'alice' },
    { name: 'bob-inbox', owner: 'bob' },
  ],
  storage: [{ name: 'table', owner: 'server', data: { next: 1, handles: {}, files: {} } }],
  caps: [
    { holder: 'alice', name: 'fs', target: 'fs', rights: 'rwg' },
    { holder: 'bob', name: 'fs', target: 'fs', rights: 'rwg' },
  ],
  input: (i) => SCRIPT[i] ?? null,
};
