/**
 * kv — a key-value server and the promise it makes to its clients. Three clients outside the
 * machine call the server through badged capabilities (the badge tells the server who asks);
 * each puts and gets keys, one operation at a time. The server keeps its table in a storage
 * object, writes it in the same crank as every put, and answers in that crank, so under any
 * persistence model the answer leaves the machine only when the put is durable (output commit).
 *
 * What it promises is written down as a sequential model — a plain table, where a put stores a
 * value and answers 'ok' and a get answers the value or null — and `capsim check kv` checks every
 * run's history of calls and answers against it: linearizable (each key apart, since keys are
 * independent) and durable (what a client was told it stored, a restart gives back).
 */
import type { ClientModel, ClientOp, Program, SystemSpec } from '../kernel/index.ts';

type Table = { [key: string]: number };
type Request = { op: string; value: { key: string; value?: number } | null };

const server: Program<{ table: Table; served: number[] }> = {
  init(ctx) {
    // After every restart too: the saved table is the truth; who was served is not kept.
    return { table: ctx.read(ctx.lookup('table') as number) as Table, served: [] };
  },
  receive(ctx, state, message) {
    if (message.type !== 'call' || message.reply === null) return state;
    const request = message.payload as Request;
    const key = request.value?.key;
    if (typeof key !== 'string') {
      ctx.reply(message.reply, { error: 'a request needs a key' });
      return state;
    }
    const served = state.served.includes(message.badge) ? state.served : [...state.served, message.badge];
    if (request.op === 'put' && typeof request.value?.value === 'number') {
      const table = { ...state.table, [key]: request.value.value };
      ctx.write(ctx.lookup('table') as number, table); // saved in the crank that answers
      ctx.reply(message.reply, 'ok');
      return { table, served };
    }
    ctx.reply(message.reply, state.table[key] ?? null);
    return { ...state, served };
  },
};

const KEYS = ['a', 'b'];

/** Client n's i-th operation: puts and gets over two keys, values that say who wrote them when. */
function clientOps(n: number): (i: number) => ClientOp | null {
  return (i) => {
    if (i >= 8) return null;
    const key = KEYS[(i + n) % KEYS.length] as string;
    const op: ClientOp = i % 2 === 0 ? { op: 'put', value: { key, value: n * 100 + i } } : { op: 'get', value: { key } };
    return op;
  };
}

/** The table as clients must see it: one value per key; keys are independent. */
export const model: ClientModel<Table> = {
  init: () => ({}),
  step(table, { op, value }) {
    const v = value as { key: string; value?: number };
    if (op === 'put') return [{ ...table, [v.key]: v.value as number }, 'ok'];
    return [table, table[v.key] ?? null];
  },
  key: ({ value }) => (value as { key: string }).key,
};

export const system: SystemSpec = {
  name: 'kv',
  description: 'a key-value server with badged clients: its history is checked linearizable and durable',
  programs: { 'kv-server': server },
  processes: [{ name: 'server', program: 'kv-server' }],
  endpoints: [{ name: 'kv', owner: 'server' }],
  storage: [{ name: 'table', owner: 'server', data: {} }],
  clients: [1, 2, 3].map((n) => ({ name: `c${n}`, cap: { target: 'kv', rights: 'rw', badge: n }, ops: clientOps(n) })),
  model,
  // A put a client was told succeeded is in the restored table, unless a later put to its key may have replaced it.
  reflects: (op, restored, history) => {
    if (op.op !== 'put') return true;
    const { key, value } = op.value as { key: string; value: number };
    const table = (restored.processes.server as { table?: Table } | undefined)?.table;
    if (table === undefined) return true;
    if (table[key] === value) return true;
    return laterPutTo(key, value, history);
  },
};

/** Some put to `key` was invoked after the put of `value` (it may have replaced it). */
function laterPutTo(key: string, value: number, history: readonly unknown[]): boolean {
  let after = false;
  for (const e of history as { type: string; op?: string; value?: { key?: string; value?: number } }[]) {
    if (e.type !== 'invoke' || e.op !== 'put' || e.value?.key !== key) continue;
    if (after) return true;
    if (e.value.value === value) after = true;
  }
  return false;
}
