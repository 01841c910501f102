/**
 * bank — confinement and revocation. The bank mints a badged capability for its teller from
 * a grant it keeps under a name, and hands it over; the teller names it too, so both survive
 * a restart. When the bank is told to fire the teller it revokes that grant: the teller's
 * capability is gone at once, and — because the revocation is committed with everything else
 * the crank did — it stays gone after any restart.
 *
 * Under explicit persistence the bank must also save that it fired the teller (in its books,
 * a storage object): its init runs again after every restart, and without that record it
 * would hire the teller anew.
 *
 * A customer outside the machine deposits too, through a capability with a badge of its own,
 * and is told the balance after each deposit. Firing the teller does not touch the customer:
 * the revocation reaches only what was derived from the teller's grant. The balance only grows,
 * so a restored bank keeps its promise to the customer if its books hold at least the balance
 * the customer was last told (`capsim check bank` holds it to that after every restart).
 */
import { GRANT, READ, STORE_SLOT, WRITE, type ClientOp, type Ctx, type Program, type SystemSpec } from '../kernel/index.ts';

interface BankState {
  balance: number;
  fired: boolean;
}

function books(ctx: Ctx): number {
  return ctx.lookup('books') as number;
}

const TELLER_BADGE = 7;
const CUSTOMER_BADGE = 9;
/** Deposits the customer makes, one at a time. */
const CUSTOMER_DEPOSITS = 10;

function deposits(i: number): ClientOp | null {
  return i < CUSTOMER_DEPOSITS ? { op: 'deposit', value: 10 } : null;
}

/** A customer's call: `{ op: 'deposit', value: amount }`; anything else is refused. */
function customerDeposit(payload: unknown): number | null {
  const request = payload as { op?: unknown; value?: unknown } | null;
  if (request === null || typeof request !== 'object' || request.op !== 'deposit') return null;
  return typeof request.value === 'number' && Number.isSafeInteger(request.value) && request.value > 0 ? request.value : null;
}

const bank: Program<BankState> = {
  init(ctx) {
    const saved = ctx.read(books(ctx)) as unknown as BankState;
    // After a restart the grant is already there (named); only a first boot makes and sends one.
    if (!saved.fired && ctx.lookup('teller-grant') === null) {
      const grant = ctx.mint(ctx.lookup('bank-service') as number, READ | WRITE | GRANT, TELLER_BADGE);
      ctx.register(STORE_SLOT, 'teller-grant', grant);
      const forTeller = ctx.mint(grant, READ | WRITE);
      ctx.send(ctx.lookup('teller') as number, 'your key', [forTeller]);
      ctx.delete(forTeller);
    }
    return { balance: saved.balance, fired: saved.fired };
  },
  receive(ctx, state, message) {
    if (message.payload === 'fire teller') {
      const grant = ctx.lookup('teller-grant');
      if (grant !== null) {
        ctx.revoke(grant);
        ctx.unregister(STORE_SLOT, 'teller-grant');
        ctx.delete(grant);
      }
      const next = { ...state, fired: true };
      ctx.write(books(ctx), next);
      return next;
    }
    if (message.badge === CUSTOMER_BADGE && message.reply !== null) {
      const amount = customerDeposit(message.payload);
      if (amount === null) {
        ctx.reply(message.reply, { error: 'a deposit is { op: "deposit", value: a positive whole amount }' });
        return state;
      }
      const next = { ...state, balance: state.balance + amount };
      ctx.write(books(ctx), next); // saved in the crank that answers
      ctx.reply(message.reply, next.balance);
      return next;
    }
    if (message.badge === TELLER_BADGE) {
      const next = { ...state, balance: state.balance + (message.payload as number) };
      ctx.write(books(ctx), next);
      if (message.reply !== null) ctx.reply(message.reply, next.balance);
      return next;
    }
    return state;
  },
};

interface TellerState {
  deposits: number;
  refused: number;
}

const teller: Program<TellerState> = {
  init: () => ({ deposits: 0, refused: 0 }),
  receive(ctx, state, message) {
    if (message.payload === 'your key' && message.caps[0] !== undefined) {
      ctx.register(STORE_SLOT, 'bank', message.caps[0]);
      return state;
    }
    if (message.type === 'reply' || message.type === 'error') return state;
    const key = ctx.lookup('bank');
    if (key === null) return { ...state, refused: state.refused + 1 };
    ctx.call(key, 1);
    return { ...state, deposits: state.deposits + 1 };
  },
};

export const system: SystemSpec = {
  name: 'bank',
  description: 'confinement and revocation: a fired teller stays fired, also after a restart',
  programs: { bank, teller },
  processes: [
    { name: 'bank', program: 'bank' },
    { name: 'teller', program: 'teller' },
  ],
  endpoints: [
    { name: 'bank-service', owner: 'bank' },
    { name: 'teller-inbox', owner: 'teller' },
    { name: 'bank-admin', owner: 'bank' },
  ],
  storage: [{ name: 'books', owner: 'bank', data: { balance: 100, fired: false } }],
  caps: [{ holder: 'bank', name: 'teller', target: 'teller-inbox', rights: 'rwg' }],
  input: (i) => {
    if (i >= 400) return null;
    if (i === 200) return { to: 'bank-admin', payload: 'fire teller' };
    return { to: 'teller-inbox', payload: 'deposit' };
  },
  clients: [{ name: 'customer', cap: { target: 'bank-service', badge: CUSTOMER_BADGE }, ops: deposits }],
  // Deposits only add: the restored books reflect a deposit told balance b if they hold at least b.
  reflects: (op, restored) => {
    const balance = (restored.storage.books as { balance?: number } | undefined)?.balance;
    return typeof balance === 'number' && balance >= (op.result as number);
  },
};
