/**
 * sturdy-clients — clients that keep only tokens, and reconnect through a gatekeeper after
 * every power loss (sturdy references, as Syndicate's, Cap'n Proto's and E's).
 *
 * An issuer holds the capability to a service. On its first start it mints for each client a
 * read-only, badged copy, turns it into a sturdy reference (`ctx.sturdy`), drops the copy, and
 * mails each client its token (again at every start of its own, for a client whose wallet a
 * power loss emptied). A client writes the token into its own storage and names no
 * capability to the service at all: in every init (after a restart it starts anew from its
 * command line) it reads the token back and asks the gatekeeper for the capability
 * (`ctx.restore`), which comes back with exactly the rights and badge the issuer gave — read
 * only, so the client can call but never send, and never more than that.
 *
 * What it teaches:
 *  - a token outlives the power: the clients' connections come back under every persistence
 *    model, though no c-list names the service;
 *  - a token is revocable: the input `{ revoke: 2 }` makes the issuer revoke client 2's token
 *    (`ctx.unsturdy`); from then on client 2's restore is refused ('token_revoked'), also
 *    after every later restart, while client 1 goes on;
 *  - tokens are secrets: the trace names a token by its id and never shows its secret.
 */
import { KernelError, READ, type InputSpec, type Program, type SystemSpec } from '../kernel/index.ts';

const CLIENTS = 2;

interface Served {
  served: number;
}

/** The service: answers every call with how many it served and the caller's badge. */
const service: Program<Served> = {
  init: () => ({ served: 0 }),
  receive(ctx, state, message) {
    if (message.reply !== null) ctx.reply(message.reply, { served: state.served + 1, badge: message.badge });
    return { served: state.served + 1 };
  },
};

interface Issued {
  tokens: string[];
}

/** Makes one token per client on its first start (kept in its storage), revokes one on `{ revoke: n }`. */
const issuer: Program<Issued> = {
  init(ctx) {
    const book = ctx.lookup('tokens') as number;
    const kept = ctx.read(book) as unknown as Issued;
    if (kept.tokens.length > 0) {
      // A client whose wallet write a power loss took gets its token again; the rest ignore a token they hold.
      kept.tokens.forEach((token, i) => ctx.send(ctx.lookup(`client-${i + 1}`) as number, { token }));
      return kept;
    }
    const tokens: string[] = [];
    for (let i = 1; i <= CLIENTS; i++) {
      // Read only, badged: a token made from a diminished capability never gives more back.
      const copy = ctx.mint(ctx.lookup('service') as number, READ, i);
      tokens.push(ctx.sturdy(copy));
      ctx.delete(copy);
      ctx.send(ctx.lookup(`client-${i}`) as number, { token: tokens[i - 1] as string });
    }
    ctx.write(book, { tokens });
    return { tokens };
  },
  receive(ctx, state, message) {
    const n = (message.payload as { revoke?: number }).revoke;
    const token = typeof n === 'number' ? state.tokens[n - 1] : undefined;
    if (token !== undefined) {
      ctx.unsturdy(token);
      ctx.log(`revoked the token of client ${n}`);
    }
    return state;
  },
};

/** A client's state, as its tests read it too. */
export interface Client {
  /** The slot of the restored capability in this life, or null. */
  service: number | null;
  rights: number | null;
  badge: number | null;
  answers: number;
  /** Why the last restore was refused, if it was. */
  refused: string | null;
}

/** Keeps only its token (in storage); restores the service in init and whenever asked to call. */
const client: Program<Client> = {
  init(ctx) {
    const { token } = ctx.read(ctx.lookup(walletOf(ctx)) as number) as { token: string | null };
    return connect(ctx, { service: null, rights: null, badge: null, answers: 0, refused: null }, token);
  },
  receive(ctx, state, message) {
    const p = message.payload as { token?: string; call?: boolean; served?: number };
    if (message.type === 'reply') return { ...state, answers: state.answers + 1 };
    if (typeof p.token === 'string') {
      const wallet = ctx.lookup(walletOf(ctx)) as number;
      if ((ctx.read(wallet) as { token: string | null }).token === p.token) return state;
      ctx.write(wallet, { token: p.token });
      return connect(ctx, state, p.token);
    }
    if (p.call === true) {
      // The issuer may have revoked the token since: ask the gatekeeper again before calling.
      const { token } = ctx.read(ctx.lookup(walletOf(ctx)) as number) as { token: string | null };
      if (state.service !== null) ctx.delete(state.service);
      const next = connect(ctx, { ...state, service: null }, token);
      if (next.service !== null) ctx.call(next.service, { hello: ctx.self.args[0] ?? null });
      return next;
    }
    return state;
  },
};

/** Each client holds its own storage under its own label: `client-<n>-wallet`. */
function walletOf(ctx: Parameters<Program['init']>[0]): string {
  return `client-${String(ctx.self.args[0])}-wallet`;
}

function connect(ctx: Parameters<Program['init']>[0], state: Client, token: string | null): Client {
  if (token === null) return state;
  try {
    const slot = ctx.restore(ctx.lookup('gatekeeper') as number, token);
    const info = ctx.identify(slot);
    return { ...state, service: slot, rights: info?.rights ?? null, badge: info?.badge ?? null, refused: null };
  } catch (err) {
    if (err instanceof KernelError) return { ...state, service: null, refused: err.code };
    throw err;
  }
}

/** Calls from both clients, then client 2's token is revoked, then more calls. */
function input(i: number): InputSpec | null {
  if (i >= 12) return null;
  if (i === 6) return { to: 'issuer-in', payload: { revoke: 2 } };
  return { to: `client-${(i % CLIENTS) + 1}`, payload: { call: true } };
}

const clientNames = Array.from({ length: CLIENTS }, (_, i) => `client-${i + 1}`);

export const system: SystemSpec = {
  name: 'sturdy-clients',
  description: 'clients that keep only sturdy references and reconnect through a gatekeeper after every restart',
  programs: { service, issuer, client },
  processes: [
    { name: 'service', program: 'service' },
    { name: 'issuer', program: 'issuer' },
    ...clientNames.map((name, i) => ({ name: `${name}-proc`, program: 'client', args: [i + 1] })),
  ],
  gatekeepers: ['gatekeeper'],
  endpoints: [
    { name: 'service-in', owner: 'service' },
    { name: 'issuer-in', owner: 'issuer' },
    ...clientNames.map((name) => ({ name, owner: `${name}-proc` })),
  ],
  storage: [
    { name: 'tokens', owner: 'issuer', data: { tokens: [] } },
    ...clientNames.map((name) => ({ name: `${name}-wallet`, owner: `${name}-proc`, data: { token: null } })),
  ],
  caps: [
    { holder: 'issuer', name: 'service', target: 'service-in', rights: 'rwg' },
    ...clientNames.map((name) => ({ holder: 'issuer', name, target: name, rights: 'w' })),
    ...clientNames.map((name) => ({ holder: `${name}-proc`, name: 'gatekeeper', target: 'gatekeeper', rights: 'r' })),
  ],
  input,
};
