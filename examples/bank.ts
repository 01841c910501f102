/**
 * bank — confinement and revocation. The bank mints a badged capability for its teller from
 * a grant it keeps under a name, and hands it over; the teller names it too, so both survive
 * a restart. When the bank is told to fire the teller it revokes that grant: the teller's
 * capability is gone at once, and — because the revocation is committed with everything else
 * the crank did — it stays gone after any restart.
 */
import { GRANT, READ, STORE_SLOT, WRITE, type Program, type SystemSpec } from '../kernel/index.ts';

interface BankState {
  balance: number;
  fired: boolean;
}

const TELLER_BADGE = 7;

const bank: Program<BankState> = {
  init(ctx) {
    // After a restart the grant is already there (named); only a first boot makes and sends one.
    if (ctx.lookup('teller-grant') === null) {
      const grant = ctx.mint(ctx.lookup('bank-service') as number, READ | WRITE | GRANT, TELLER_BADGE);
      ctx.register(STORE_SLOT, 'teller-grant', grant);
      const forTeller = ctx.mint(grant, READ | WRITE);
      ctx.send(ctx.lookup('teller') as number, 'your key', [forTeller]);
      ctx.delete(forTeller);
    }
    return { balance: 100, fired: ctx.lookup('teller-grant') === null };
  },
  receive(ctx, state, message) {
    if (message.payload === 'fire teller') {
      const grant = ctx.lookup('teller-grant');
      if (grant !== null) {
        ctx.revoke(grant);
        ctx.unregister(STORE_SLOT, 'teller-grant');
        ctx.delete(grant);
      }
      return { ...state, fired: true };
    }
    if (message.badge === TELLER_BADGE) {
      const balance = state.balance + (message.payload as number);
      if (message.reply !== null) ctx.reply(message.reply, balance);
      return { ...state, balance };
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
  caps: [{ holder: 'bank', name: 'teller', target: 'teller-inbox', rights: 'rwg' }],
  input: (i) => {
    if (i >= 400) return null;
    if (i === 200) return { to: 'bank-admin', payload: 'fire teller' };
    return { to: 'teller-inbox', payload: 'deposit' };
  },
};
