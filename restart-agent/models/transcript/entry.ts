/**
 * The transcript's entries as the store keeps them (plain data, msgpack), and their shape
 * check on the way back: an entry that is not what this model wrote is damage, named.
 *
 *   a delivery, at its last kernel crank K: { c: clock, i: inputs, f: first ID, n: IDs drawn, d: digest, k?: kernel cranks }
 *   the base, at a checkpoint's crank K: { base: checkpoint seq, c: clock, s: the supervisor's recent restarts }
 *
 * An input is ['inject', endpoint, payload, badge], ['call', endpoint, payload, badge, ticket],
 * ['note', text] or ['idle'].
 */
import type { ObjectId, PlainData } from '../../../kernel/index.ts';
import { StoreError } from '../../../store/index.ts';
import type { HostInput } from '../interface.ts';

export interface DeliveryEntry {
  kind: 'delivery';
  /** The System's clock after the crank. */
  clock: number;
  inputs: HostInput[];
  ids: { first: ObjectId; count: number };
  /**
   * The kernel cranks the step ran: 1, or more when a crank's fault or exit restarted a process
   * whose init ran inside the same step (policy.ts). The entry is stored at the last of them.
   */
  kernelCranks: number;
  /** The chained digest after the crank (digest.ts). */
  digest: string;
}

export interface BaseEntry {
  kind: 'base';
  seq: number;
  clock: number;
  /** Supervisor.recentRestarts() when the checkpoint was taken: a replay decides restarts as the live supervisor did. */
  restarts: [ObjectId, number[]][];
}

export type TranscriptEntry = DeliveryEntry | BaseEntry;

export function encodeEntry(entry: TranscriptEntry): PlainData {
  if (entry.kind === 'base') return { base: entry.seq, c: entry.clock, s: entry.restarts };
  const encoded: Record<string, PlainData> = { c: entry.clock, i: entry.inputs.map(encodeInput), f: entry.ids.first, n: entry.ids.count, d: entry.digest };
  // Nearly every step runs one kernel crank: only the others say how many.
  if (entry.kernelCranks !== 1) encoded.k = entry.kernelCranks;
  return encoded;
}

function encodeInput(input: HostInput): PlainData {
  switch (input.kind) {
    case 'inject':
      return ['inject', input.endpoint, input.payload, input.badge];
    case 'call':
      return ['call', input.endpoint, input.payload, input.badge, input.ticket];
    case 'note':
      return ['note', input.text];
    case 'idle':
      return ['idle'];
  }
}

class Malformed extends Error {}

/** The entry stored at kernel crank `crank`; StoreError('damaged') naming it when it is not one. */
export function decodeEntry(crank: number, value: unknown): TranscriptEntry {
  try {
    const v = asRecord(value);
    if ('base' in v) return { kind: 'base', seq: count(v.base), clock: count(v.c), restarts: restartsOf(v.s) };
    if (typeof v.d !== 'string') throw new Malformed('its digest is missing');
    const inputs = Array.isArray(v.i) ? v.i.map(decodeInput) : fail('its inputs are missing');
    const kernelCranks = v.k === undefined ? 1 : count(v.k);
    if (kernelCranks < 1 || kernelCranks > crank) throw new Malformed(`it says ${kernelCranks} kernel cranks ended at crank ${crank}`);
    return { kind: 'delivery', clock: count(v.c), inputs, ids: { first: count(v.f), count: count(v.n) }, kernelCranks, digest: v.d };
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    throw new StoreError('damaged', `not a transcript entry: ${error.message}`, { record: `transcript ${crank}` });
  }
}

function decodeInput(value: unknown): HostInput {
  if (!Array.isArray(value)) fail('an input is not a list');
  const [kind, a, b, c, d] = value as unknown[];
  if (kind === 'inject') return { kind, endpoint: count(a), payload: b as PlainData, badge: count(c) };
  if (kind === 'call') return { kind, endpoint: count(a), payload: b as PlainData, badge: count(c), ticket: count(d) };
  if (kind === 'note' && typeof a === 'string') return { kind, text: a };
  if (kind === 'idle') return { kind };
  return fail(`an input of kind ${JSON.stringify(kind)}`);
}

function restartsOf(value: unknown): [ObjectId, number[]][] {
  if (!Array.isArray(value)) fail('its restarts are missing');
  return (value as unknown[]).map((pair) => {
    if (!Array.isArray(pair) || pair.length !== 2 || !Array.isArray(pair[1])) fail('a restart record is not [pid, cranks]');
    return [count(pair[0]), (pair[1] as unknown[]).map(count)];
  });
}

function asRecord(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('not a record');
  return value as Record<string, unknown>;
}

function count(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(`${JSON.stringify(value)} is not a count`);
  return value as number;
}

function fail(reason: string): never {
  throw new Malformed(reason);
}
