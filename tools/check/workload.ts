/**
 * Workloads from a system description. The description's `input(i)` says what the outside
 * world sends; its distinct values are the vocabulary, and a generated workload is a sequence
 * drawn from it. So a bank's rare "fire teller" can come first, twice, or not at all — orders
 * the description's own script would take hundreds of inputs to reach.
 */
import type { ClientOp, InputSpec, SystemSpec } from '../../kernel/index.ts';
import { canonical } from '../../restart-agent/index.ts';

/** How far into `input(i)` the vocabulary is collected. */
const SCAN_INPUTS = 1000;
/** The most distinct inputs kept: enough for every example, few enough to shrink over. */
export const VOCABULARY_MAX = 16;

export interface Vocabulary {
  inputs: InputSpec[];
  /** Each input as a person reads it ("deposit → teller-inbox"). */
  labels: string[];
  /** Per client of the description: the distinct operations among its first ones, and how they read. */
  clients: { name: string; ops: ClientOp[]; labels: string[] }[];
}

/** How far into a client's `ops(i)` its vocabulary is collected. */
const SCAN_CLIENT_OPS = 200;

/** Scanning a description's inputs costs a thousand calls: once per description is enough. */
const known = new WeakMap<SystemSpec, Vocabulary>();

/** The distinct inputs among the description's first SCAN_INPUTS, in order of first appearance. */
export function vocabularyOf(spec: SystemSpec): Vocabulary {
  const cached = known.get(spec);
  if (cached !== undefined) return cached;
  const out = scan(spec);
  known.set(spec, out);
  return out;
}

function scan(spec: SystemSpec): Vocabulary {
  const seen = new Set<string>();
  const out: Vocabulary = { inputs: [], labels: [], clients: (spec.clients ?? []).map(clientVocabulary) };
  for (let i = 0; i < SCAN_INPUTS && out.inputs.length < VOCABULARY_MAX; i++) {
    const input = spec.input?.(i) ?? null;
    if (input === null) break;
    const key = canonical(input);
    if (seen.has(key)) continue;
    seen.add(key);
    out.inputs.push(input);
    out.labels.push(`${JSON.stringify(input.payload)} → ${input.to}${input.badge ? ` (badge ${input.badge})` : ''}`);
  }
  return out;
}

function clientVocabulary(client: NonNullable<SystemSpec['clients']>[number]): Vocabulary['clients'][number] {
  const seen = new Set<string>();
  const out = { name: client.name, ops: [] as ClientOp[], labels: [] as string[] };
  for (let i = 0; i < SCAN_CLIENT_OPS && out.ops.length < VOCABULARY_MAX; i++) {
    const op = client.ops(i);
    if (op === null || op === undefined) break;
    const key = canonical(op);
    if (seen.has(key)) continue;
    seen.add(key);
    out.ops.push(op);
    out.labels.push(`${op.op}${op.value === undefined || op.value === null ? '' : ` ${JSON.stringify(op.value)}`}`);
  }
  return out;
}

/** The description with its inputs replaced by `inputs` (indices into the vocabulary), or as it is for null. */
export function withWorkload(spec: SystemSpec, vocabulary: Vocabulary, inputs: readonly number[] | null, clients: readonly (readonly number[])[] | null = null): SystemSpec {
  let out = spec;
  if (inputs !== null) {
    const chosen = inputs.map((i) => vocabulary.inputs[i % Math.max(1, vocabulary.inputs.length)]).filter((x): x is InputSpec => x !== undefined);
    out = { ...out, input: (i) => chosen[i] ?? null };
  }
  if (clients !== null && spec.clients !== undefined) {
    out = {
      ...out,
      clients: spec.clients.map((c, n) => {
        const words = vocabulary.clients[n]?.ops ?? [];
        const chosen = (clients[n] ?? []).map((i) => words[i % Math.max(1, words.length)]).filter((x): x is ClientOp => x !== undefined);
        return { ...c, ops: (i: number) => chosen[i] ?? null };
      }),
    };
  }
  return out;
}
