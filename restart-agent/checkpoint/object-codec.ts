/**
 * One kernel object as one checkpoint block. A process's block carries its c-list and the
 * messages queued for it, with the capabilities those messages carry, so that a change to one
 * process rewrites one block. Capabilities name their parent by checkpoint serial (Cap.serial)
 * and their place among siblings by stamp (Cap.stamp): both survive while unrelated parts of
 * the tree change, where an index into a global array would not.
 */
import type { Capability as Cap, KObject, ObjectId, PlainData } from '../../kernel/index.ts';

/** [slot or index in its message, serial, object, rights, badge, parent serial (0: a root), stamp, capId, name] */
export type CapRecord = [number, number, ObjectId, number, number, number, number, number, string | null];

/** [seq, type, target, endpoint, badge, payload, caps, reply, account, from, error] */
export type MessageRecord = [number, string, ObjectId, ObjectId | null, number, PlainData, CapRecord[] | null, ObjectId | null, ObjectId, ObjectId, string | null];

export type ObjectRecord =
  | ['p', ObjectId, boolean, string, PlainData[], PlainData, string, number, number, string | null, ObjectId | null, ObjectId | null, MessageRecord | null, MessageRecord[], CapRecord[]]
  | ['e', ObjectId, boolean, ObjectId, number]
  | ['r', ObjectId, boolean, ObjectId, boolean, boolean]
  | ['s', ObjectId, boolean, PlainData, number]
  | ['t', ObjectId, boolean, ObjectId]
  | ['g', ObjectId, boolean];

type MessageLike = {
  seq: number; type: string; target: { id: ObjectId }; endpoint: { id: ObjectId } | null; badge: number; payload: PlainData;
  caps: Cap[] | null; reply: { id: ObjectId } | null; account: { id: ObjectId }; from: ObjectId; error: string | null;
};

/** Gives a capability its serial on first need; the writer owns the counter. */
export type SerialOf = (cap: Cap) => number;

export function encodeObject(o: KObject, serialOf: SerialOf): ObjectRecord {
  switch (o.kind) {
    case 'process': {
      const caps: CapRecord[] = [];
      for (const [slot, cap] of o.cspace.entries()) caps.push(capRecord(cap, slot, serialOf));
      const inbox = o.inbox.toArray().map((m) => messageRecord(m as unknown as MessageLike, serialOf));
      const answer = o.answer === null ? null : messageRecord(o.answer as unknown as MessageLike, serialOf);
      return ['p', o.id, o.alive, o.program, [...o.args], o.state, o.status, o.generation, o.debt, o.lastFault, o.store?.id ?? null, o.awaiting?.id ?? null, answer, inbox, caps];
    }
    case 'endpoint':
      return ['e', o.id, o.alive, o.owner.id, o.pending];
    case 'reply':
      return ['r', o.id, o.alive, o.caller?.id ?? 0, o.used, o.weak];
    case 'storage':
      return ['s', o.id, o.alive, o.data, o.version];
    case 'store':
      return ['t', o.id, o.alive, o.owner.id];
    case 'gatekeeper':
      return ['g', o.id, o.alive];
  }
}

export function capRecord(cap: Cap, slot: number, serialOf: SerialOf): CapRecord {
  return [slot, serialOf(cap), cap.object.id, cap.rights, cap.badge, cap.parent === null ? 0 : serialOf(cap.parent), cap.stamp, cap.capId, cap.name];
}

function messageRecord(m: MessageLike, serialOf: SerialOf): MessageRecord {
  let caps: CapRecord[] | null = null;
  if (m.caps !== null) {
    caps = [];
    // Dead capabilities stay in a message's array but are skipped at delivery: leave them out.
    for (const cap of m.caps) if (cap.live) caps.push(capRecord(cap, caps.length, serialOf));
  }
  return [m.seq, m.type, m.target.id, m.endpoint?.id ?? null, m.badge, m.payload, caps, m.reply?.id ?? null, m.account.id, m.from, m.error];
}

/** True when a process's block must be re-encoded even if nothing else marks it: a queued message carries capabilities, whose tree links change without touching this process. */
export function carriesCaps(o: KObject): boolean {
  if (o.kind !== 'process') return false;
  if (o.answer?.caps) return true;
  for (const m of o.inbox.toArray()) if (m.caps !== null && m.caps.length > 0) return true;
  return false;
}
