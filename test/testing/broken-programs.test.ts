/**
 * The history checkers catch programs that break their promise to clients, within a bounded
 * number of runs, and shrink the failure; the correct versions of the same programs pass. Each
 * broken program differs from its correct version by one deliberate mistake:
 *   - a tally that forgets to save its votes;
 *   - a key-value server that answers a put in one crank and saves it in a later one;
 *   - a key-value server that saves only some keys;
 *   - transfer-naive: money lost between two separate saves (a user's own checker finds it);
 *   - the counter and the bank examples with their saves removed (their clients catch it).
 * Seeds come from CAPSIM_SEED when set (replay), else fresh; every failure message names it.
 */
import { describe, expect, it } from 'vitest';
import type { ClientOp, Ctx, Program, SystemSpec } from '../../kernel/index.ts';
import { explore, type ExploreResult, type HistoryCheck } from '../../tools/testing/index.ts';
import { system as kv } from '../../examples/kv.ts';
import { system as counter } from '../../examples/counter.ts';
import { system as bank } from '../../examples/bank.ts';
import { INITIAL_BALANCE, naive as transferNaive, system as transfer } from '../../examples/transfer.ts';
import { runSeed } from '../support/seed.ts';

/** Runs within which every broken program must be caught. */
const RUNS_TO_CATCH = 150;
/** Runs every correct program must pass. */
const RUNS_CORRECT = 60;

type Votes = { yes: number; no: number };

function tally(saves: boolean): SystemSpec {
  const program: Program<Votes> = {
    init: (ctx) => ctx.read(ctx.lookup('votes') as number) as Votes,
    receive(ctx, state, message) {
      if (message.reply === null) return state;
      const vote = (message.payload as { value: string }).value;
      const next = vote === 'yes' ? { ...state, yes: state.yes + 1 } : { ...state, no: state.no + 1 };
      if (saves) ctx.write(ctx.lookup('votes') as number, next);
      ctx.reply(message.reply, next);
      return next;
    },
  };
  return {
    name: saves ? 'tally' : 'tally-forgets-to-save',
    description: 'a tally with two voters outside the machine',
    programs: { tally: program },
    processes: [{ name: 'tally', program: 'tally' }],
    endpoints: [{ name: 'ballots', owner: 'tally' }],
    storage: [{ name: 'votes', owner: 'tally', data: { yes: 0, no: 0 } }],
    clients: ['ann', 'ben'].map((name, n) => ({ name, cap: { target: 'ballots', badge: n + 1 }, ops: (i: number): ClientOp | null => (i < 6 ? { op: 'vote', value: (i + n) % 3 === 0 ? 'no' : 'yes' } : null) })),
    // Every answer is the tally after that vote: a restored tally counts at least as much.
    reflects: (op, restored) => {
      const now = restored.processes.tally as Votes | undefined;
      const told = op.result as Votes;
      return now === undefined || (now.yes >= told.yes && now.no >= told.no);
    },
  };
}

type Table = Record<string, number>;

/** The kv example's server with one deliberate mistake. */
function brokenKv(mistake: 'saves-later' | 'saves-some-keys'): SystemSpec {
  const server: Program<{ table: Table; unsaved: boolean }> = {
    init: (ctx) => ({ table: ctx.read(ctx.lookup('table') as number) as Table, unsaved: false }),
    receive(ctx, state, message) {
      if (message.reply === null) return state;
      const { op, value } = message.payload as { op: string; value: { key: string; value?: number } };
      // saves-later: what the last put left unsaved is saved by the next request, not by the put.
      if (mistake === 'saves-later' && state.unsaved) ctx.write(ctx.lookup('table') as number, state.table);
      if (op === 'put') {
        const table = { ...state.table, [value.key]: value.value as number };
        if (mistake === 'saves-some-keys' && value.key === 'a') ctx.write(ctx.lookup('table') as number, table);
        ctx.reply(message.reply, 'ok');
        return { table, unsaved: mistake === 'saves-later' };
      }
      ctx.reply(message.reply, state.table[value.key] ?? null);
      return { table: state.table, unsaved: false };
    },
  };
  return { ...kv, name: `kv-${mistake}`, programs: { 'kv-server': server } };
}

/**
 * An example whose named storage objects are never written: its programs run as they are, but
 * every ctx.write is dropped, as if the line that saves were removed.
 */
function withoutSaves(spec: SystemSpec): SystemSpec {
  const programs: Record<string, Program<unknown>> = {};
  for (const [name, program] of Object.entries(spec.programs) as [string, Program<unknown>][]) {
    programs[name] = { init: (ctx, args) => program.init(forgetful(ctx), args), receive: (ctx, state, message) => program.receive(forgetful(ctx), state, message) };
  }
  return { ...spec, name: `${spec.name}-forgets-to-save`, programs };
}

/** The same ctx with a write that does nothing. */
function forgetful(ctx: Ctx): Ctx {
  return new Proxy(ctx, {
    get(target, key) {
      if (key === 'write') return () => {};
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Client calls on transfer(-naive): a teller outside asks account a for transfers of 10. */
function withTeller(spec: SystemSpec): SystemSpec {
  return { ...spec, input: () => null, clients: [{ name: 'teller', cap: { target: 'a-inbox' }, ops: (i) => (i < 6 ? { op: 'transfer', value: 10 } : null) }] };
}

/** The user's own checker: the books add up — balances, plus credits an intent still owes. */
const moneyConserved: HistoryCheck = (history, restored) => {
  type Ledger = { balance: number; pending?: { id: number; amount: number } | null; applied?: number };
  const a = restored.storage['ledger-a'] as Ledger | undefined;
  const b = restored.storage['ledger-b'] as Ledger | undefined;
  if (a === undefined || b === undefined) return null;
  const owed = (from: Ledger, to: Ledger): number => (from.pending && from.pending.id > (to.applied ?? 0) ? from.pending.amount : 0);
  const total = a.balance + b.balance + owed(a, b) + owed(b, a);
  const told = history.filter((e) => e.type === 'ok' && e.value === 'ok').length;
  return total === 2 * INITIAL_BALANCE ? null : `the books hold ${total}, not ${2 * INITIAL_BALANCE}, after ${told} transfer(s) a client was told succeeded`;
};

async function search(spec: SystemSpec, runs: number, historyChecks: Record<string, HistoryCheck> = {}): Promise<{ result: ExploreResult; seed: number }> {
  const seed = runSeed();
  const result = await explore(spec, { runs, seed, historyChecks, faults: ['power', 'write', 'restart'] });
  return { result, seed };
}

describe('broken programs are caught and shrunk', () => {
  // The promise a failure may show as first: a forgotten put is unreflected (durable) or a later get contradicts it (linearizable).
  const clientPromise = ['durable', 'linearizable'];
  const cases: [string, SystemSpec, string[], Record<string, HistoryCheck>][] = [
    ['a tally that forgets to save', tally(false), ['durable'], {}],
    ['a server that answers in one crank and saves in a later one', brokenKv('saves-later'), clientPromise, {}],
    ['a kv store that saves only some keys', brokenKv('saves-some-keys'), clientPromise, {}],
    ['transfer-naive: money lost between two separate saves', withTeller(transferNaive), ['money conserved'], { 'money conserved': moneyConserved }],
    ['the counter example with its save removed', withoutSaves(counter), ['durable'], {}],
    ['the bank example with its saves removed', withoutSaves(bank), ['durable'], {}],
  ];
  for (const [what, spec, invariants, checks] of cases) {
    it(what, async () => {
      const { result, seed } = await search(spec, RUNS_TO_CATCH, checks);
      const f = result.failure;
      expect(f, `not caught in ${RUNS_TO_CATCH} runs (seed ${seed}; replay with CAPSIM_SEED=${seed})`).not.toBeNull();
      if (f === null) return;
      const names = f.outcome.violations.map((v) => v.invariant);
      const invariant = names.find((n) => invariants.includes(n));
      expect(invariant, `seed ${seed}: ${names.join(', ')}`).toBeDefined();
      // Shrunk: never larger than the schedule first found, and a history checker shows its excerpt.
      const size = (s: typeof f.schedule): number => s.steps.reduce((n, st) => n + st.cranks, 0) + s.steps.length * 1000;
      expect(size(f.schedule), `seed ${seed}`).toBeLessThanOrEqual(size(f.original));
      const shown = f.outcome.violations.find((v) => v.invariant === invariant);
      if (invariant !== 'money conserved') expect(shown?.excerpt?.length ?? 0, `seed ${seed}`).toBeGreaterThan(0);
    });
  }
});

describe('their correct versions pass', () => {
  const cases: [string, SystemSpec, Record<string, HistoryCheck>][] = [
    ['the tally that saves', tally(true), {}],
    ['the kv example', kv, {}],
    ['the counter example', counter, {}],
    ['the bank example', bank, {}],
    ['transfer, with its commit protocol', withTeller(transfer), { 'money conserved': moneyConserved }],
  ];
  for (const [what, spec, checks] of cases) {
    it(what, async () => {
      const { result, seed } = await search(spec, RUNS_CORRECT, checks);
      expect(result.failure?.outcome.violations ?? [], `seed ${seed}; replay with CAPSIM_SEED=${seed}`).toEqual([]);
      // Something was judged: the history checkers handed down verdicts.
      const judged = [...result.stats.checked.keys()];
      expect(judged.some((n) => n === 'durable' || n === 'linearizable' || n === 'money conserved')).toBe(true);
    });
  }
});
