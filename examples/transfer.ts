/**
 * transfer — Shapiro's inconsistent cut, made visible. Two account processes each save their
 * own balance in their own storage object; a transfer debits one and credits the other, in
 * two cranks of two processes, and so in two commits. Under explicit persistence only what is
 * saved survives a power loss; the message between the two cranks is volatile.
 *
 *  - `naive` (transfer-naive): the source debits, saves, and sends the credit. A power loss
 *    after the debit's commit and before the credit's loses the money for good: the sum of the
 *    two saved balances is no longer the sum the system started with.
 *  - `system` (transfer): a commit protocol. The source saves the debit together with an
 *    intent record — the pending transfer's id and amount — in one write; the destination
 *    applies a credit only if its id is newer than the last it applied (idempotent), saves
 *    that id with the new balance, and acknowledges; the source clears the intent on the ack.
 *    The source's init re-sends a pending credit after every restart. So at every crank
 *    boundary the saved books balance (balances plus credits still owed by an intent), and
 *    once the system runs on, every transfer completes exactly once.
 *
 * Run `naive` under the checkpoint model (`--model checkpoint`) and the same power losses lose
 * nothing: a checkpoint takes both accounts and the credit in flight at one crank boundary,
 * so a restart resumes from a consistent cut — the reason EROS checkpointed everything at once.
 */
import { type Ctx, type InputSpec, type Program, type SystemSpec } from '../kernel/index.ts';

/** The badge on each account's capability to its peer, so it tells the peer from the host. */
const PEER = 1;

/** args: [the name of this account's ledger storage object] */
const ledger = (ctx: Ctx): number => ctx.lookup(ctx.self.args[0] as string) as number;
const peer = (ctx: Ctx): number => ctx.lookup('peer') as number;

type Msg = { transfer?: number; credit?: number; id?: number; ack?: number; op?: string; value?: number };

/** A transfer asked by the host's input ({ transfer }) or by a client's call ({ op: 'transfer', value }). */
const transferAsked = (m: Msg): number | undefined => (typeof m.transfer === 'number' ? m.transfer : m.op === 'transfer' && typeof m.value === 'number' ? m.value : undefined);

const naiveAccount: Program<{ balance: number }> = {
  init(ctx) {
    return ctx.read(ledger(ctx)) as { balance: number };
  },
  receive(ctx, state, message) {
    const m = message.payload as Msg;
    let balance = state.balance;
    const asked = message.badge === 0 ? transferAsked(m) : undefined;
    if (asked !== undefined && asked <= balance) {
      balance -= asked;
      ctx.send(peer(ctx), { credit: asked });
      if (message.reply !== null) ctx.reply(message.reply, 'ok');
    } else if (message.badge === PEER && typeof m.credit === 'number') {
      balance += m.credit;
    } else {
      if (message.reply !== null) ctx.reply(message.reply, 'refused');
      return state;
    }
    ctx.write(ledger(ctx), { balance });
    return { balance };
  },
};

/** A ledger with an intent record; a type alias so that it checks as plain data. */
export type Ledger = {
  balance: number;
  /** The id the next outgoing transfer gets. */
  nextId: number;
  /** The outgoing transfer debited here and not yet acknowledged. */
  pending: { id: number; amount: number } | null;
  /** The id of the last incoming transfer credited here. */
  applied: number;
};

const account: Program<Ledger> = {
  init(ctx) {
    const saved = ctx.read(ledger(ctx)) as Ledger;
    // Resume: the credit message may have been lost with the power; the peer ignores a duplicate.
    if (saved.pending !== null) ctx.send(peer(ctx), { credit: saved.pending.amount, id: saved.pending.id });
    return saved;
  },
  receive(ctx, state, message) {
    const m = message.payload as Msg;
    let next = state;
    const asked = message.badge === 0 ? transferAsked(m) : undefined;
    if (asked !== undefined) {
      if (state.pending !== null || asked > state.balance) {
        ctx.log(`transfer of ${asked} refused`);
        if (message.reply !== null) ctx.reply(message.reply, 'refused');
        return state;
      }
      const pending = { id: state.nextId, amount: asked };
      next = { ...state, balance: state.balance - asked, nextId: state.nextId + 1, pending };
      ctx.send(peer(ctx), { credit: pending.amount, id: pending.id });
      if (message.reply !== null) ctx.reply(message.reply, 'ok');
    } else if (message.badge === PEER && typeof m.credit === 'number' && typeof m.id === 'number') {
      if (m.id > state.applied) next = { ...state, balance: state.balance + m.credit, applied: m.id };
      ctx.send(peer(ctx), { ack: m.id }); // also for a duplicate: the first ack may have been lost
    } else if (message.badge === PEER && typeof m.ack === 'number' && state.pending?.id === m.ack) {
      next = { ...state, pending: null };
    }
    if (next !== state) ctx.write(ledger(ctx), next);
    return next;
  },
};

/** Twenty transfers back and forth, of 10 to 29. */
const input = (i: number): InputSpec | null => (i < 20 ? { to: i % 2 === 0 ? 'a-inbox' : 'b-inbox', payload: { transfer: 10 + i } } : null);

/** Two accounts a and b running `program`, each with its ledger and a badged capability to the other. */
function accounts(name: string, description: string, program: 'account' | 'naive-account', initial: Ledger | { balance: number }): SystemSpec {
  return {
    name,
    description,
    programs: program === 'account' ? { account } : { 'naive-account': naiveAccount },
    processes: [
      { name: 'a', program, args: ['ledger-a'] },
      { name: 'b', program, args: ['ledger-b'] },
    ],
    endpoints: [
      { name: 'a-inbox', owner: 'a' },
      { name: 'b-inbox', owner: 'b' },
    ],
    storage: [
      { name: 'ledger-a', owner: 'a', data: initial },
      { name: 'ledger-b', owner: 'b', data: initial },
    ],
    caps: [
      { holder: 'a', name: 'peer', target: 'b-inbox', rights: 'w', badge: PEER },
      { holder: 'b', name: 'peer', target: 'a-inbox', rights: 'w', badge: PEER },
    ],
    input,
  };
}

/** Each account starts with this much. */
export const INITIAL_BALANCE = 100;

export const naive = accounts('transfer-naive', 'two accounts saved separately: a power loss between debit and credit loses money', 'naive-account', { balance: INITIAL_BALANCE });

export const system = accounts(
  'transfer',
  'a commit protocol (intent record, idempotent credit, resume in init) keeps money conserved across power loss',
  'account',
  { balance: INITIAL_BALANCE, nextId: 1, pending: null, applied: 0 },
);
