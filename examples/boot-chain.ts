/**
 * boot-chain — service dependencies and restart order, after Plan 9's venti → fossil → cpu
 * boot. A block store (venti) keeps content-addressed blocks; a file server (fossil) names
 * files and archives every write to the block store; two compute servers (cpu-1, cpu-2) run
 * jobs by reading them from the file server. An admin process stands beside the chain and
 * names none of it.
 *
 * What it teaches:
 *  - the restart agent starts processes in dependency order: a process starts after those
 *    whose endpoints it names, so venti's init runs before fossil's, which runs before both
 *    cpus' (the restart report's `startOrder` shows the groups);
 *  - a broken link stays local: when the file server cannot come back (its program is gone,
 *    so its registration is quarantined) the compute servers find an empty slot where the
 *    file server was — the report lists it under `lostRefs` — and answer "unmounted", while
 *    the admin process, which depends on nothing in the chain, works as before.
 *
 * Every server keeps what it must not forget in a storage object it holds by name and reads
 * it back in init (explicit persistence); the compute servers keep only counters.
 */
import { STORE_SLOT, type InputSpec, type Program, type SystemSpec } from '../kernel/index.ts';

/** A block's address: a hash of its content (FNV-1a, as hex), so equal blocks share one address. */
function score(data: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

interface Arena {
  blocks: Record<string, string>;
}

/** The block store: `{ put }` stores a block under its score, `{ get }` answers with it. */
const venti: Program<Arena> = {
  init(ctx) {
    return ctx.read(ctx.lookup('arena') as number) as unknown as Arena;
  },
  receive(ctx, arena, message) {
    const p = message.payload as { put?: string; get?: string };
    if (typeof p.put === 'string') {
      const s = score(p.put);
      if (arena.blocks[s] !== undefined) return arena; // deduplicated
      const next = { blocks: { ...arena.blocks, [s]: p.put } };
      ctx.write(ctx.lookup('arena') as number, next);
      return next;
    }
    if (typeof p.get === 'string' && message.reply !== null) ctx.reply(message.reply, arena.blocks[p.get] ?? null);
    return arena;
  },
};

interface Tree {
  /** path → score of its content in the block store */
  files: Record<string, string>;
  /** the content, cached here: the block store is the archive */
  cache: Record<string, string>;
}

/** The file server: `{ write, path, data }` from the host, `{ read }` calls from the compute servers. */
const fossil: Program<Tree> = {
  init(ctx) {
    return ctx.read(ctx.lookup('tree') as number) as unknown as Tree;
  },
  receive(ctx, tree, message) {
    const p = message.payload as { write?: string; data?: string; read?: string };
    if (typeof p.write === 'string' && typeof p.data === 'string') {
      ctx.send(ctx.lookup('venti') as number, { put: p.data });
      const next = { files: { ...tree.files, [p.write]: score(p.data) }, cache: { ...tree.cache, [p.write]: p.data } };
      ctx.write(ctx.lookup('tree') as number, next);
      return next;
    }
    if (typeof p.read === 'string' && message.reply !== null) ctx.reply(message.reply, tree.cache[p.read] ?? null);
    return tree;
  },
};

interface CpuState {
  ran: number;
  unmounted: number;
}

/** A compute server: `{ run: path }` reads the job from the file server, if it still has one. */
const cpu: Program<CpuState> = {
  init(ctx) {
    if (ctx.lookup('fossil') === null) ctx.log('no file server: jobs will be refused');
    return { ran: 0, unmounted: 0 };
  },
  receive(ctx, state, message) {
    if (message.type === 'reply') return { ...state, ran: state.ran + 1 };
    if (message.type === 'error') return state;
    const fs = ctx.lookup('fossil');
    if (fs === null) return { ...state, unmounted: state.unmounted + 1 };
    ctx.call(fs, { read: (message.payload as { run: string }).run });
    return state;
  },
};

/** The admin console: counts the commands it handled, in a storage object. Independent of the chain. */
const admin: Program<{ handled: number }> = {
  init(ctx) {
    return ctx.read(ctx.lookup('log') as number) as { handled: number };
  },
  receive(ctx, state) {
    const next = { handled: state.handled + 1 };
    ctx.write(ctx.lookup('log') as number, next);
    ctx.log(`admin: ${ctx.names(STORE_SLOT).length} names, ${next.handled} commands`);
    return next;
  },
};

export const system: SystemSpec = {
  name: 'boot-chain',
  description: 'venti → fossil → cpu: restart in dependency order; an admin that survives a broken chain',
  programs: { venti, fossil, cpu, admin },
  processes: [
    // Listed against the dependency order on purpose: the order comes from the wiring.
    { name: 'cpu-1', program: 'cpu' },
    { name: 'cpu-2', program: 'cpu' },
    { name: 'admin', program: 'admin' },
    { name: 'fossil', program: 'fossil' },
    { name: 'venti', program: 'venti' },
  ],
  endpoints: [
    { name: 'blocks', owner: 'venti' },
    { name: 'files', owner: 'fossil' },
    { name: 'cpu-1-jobs', owner: 'cpu-1' },
    { name: 'cpu-2-jobs', owner: 'cpu-2' },
    { name: 'console', owner: 'admin' },
  ],
  storage: [
    { name: 'arena', owner: 'venti', data: { blocks: {} } },
    { name: 'tree', owner: 'fossil', data: { files: {}, cache: {} } },
    { name: 'log', owner: 'admin', data: { handled: 0 } },
  ],
  caps: [
    { holder: 'fossil', name: 'venti', target: 'blocks', rights: 'rw' },
    { holder: 'cpu-1', name: 'fossil', target: 'files', rights: 'rw' },
    { holder: 'cpu-2', name: 'fossil', target: 'files', rights: 'rw' },
  ],
  input: (i): InputSpec | null => {
    if (i >= 400) return null;
    const job = `/bin/job${Math.floor(i / 4) % 8}`;
    switch (i % 4) {
      case 0:
        return { to: 'files', payload: { write: job, data: `echo ${job}` } };
      case 1:
        return { to: 'cpu-1-jobs', payload: { run: job } };
      case 2:
        return { to: 'cpu-2-jobs', payload: { run: job } };
      default:
        return { to: 'console', payload: 'status' };
    }
  },
};
