/**
 * The whole kernel as plain data, and back. A checkpoint is this state; a test compares two
 * kernels by it. Export is deterministic (objects by ID, capabilities in derivation order), so
 * equal kernels export equal data and equal hashes; import rebuilds a kernel that continues
 * exactly as the exported one would have, trace hash and generator included (DESIGN.md I10).
 */
import { createHash } from 'node:crypto';
import { Cap, linkChild } from './caps/capability.ts';
import { assert, KernelUsageError } from './errors.ts';
import type { ObjectId } from './ids.ts';
import { Message, type MessageKind } from './ipc/message.ts';
import type { ScheduleMode } from './ipc/scheduler.ts';
import { Kernel, type KernelOptions } from './kernel.ts';
import type { Limits } from './limits.ts';
import { Endpoint } from './objects/endpoint.ts';
import { Gatekeeper } from './objects/gatekeeper.ts';
import type { KObject, ObjectKind } from './objects/kobject.ts';
import { Process, type ProcessStatus } from './objects/process.ts';
import { Reply } from './objects/reply.ts';
import { StorageObject } from './objects/storage-object.ts';
import { StoreObject } from './objects/store-object.ts';
import { freezePlain, type PlainData } from './plain-data.ts';
import type { SturdyTable } from './sturdy/table.ts';

export const KERNEL_STATE_FORMAT = 'capsim-kernel/1';

export interface MessageState {
  seq: number;
  type: MessageKind;
  target: ObjectId;
  endpoint: ObjectId | null;
  badge: number;
  payload: PlainData;
  caps: number[] | null;
  reply: ObjectId | null;
  account: ObjectId;
  from: ObjectId;
  error: string | null;
}

export type ObjectState =
  | {
      id: ObjectId; kind: 'process'; alive: boolean; program: string; args: PlainData[]; state: PlainData; status: ProcessStatus;
      generation: number; debt: number; lastFault: string | null; store: ObjectId | null; awaiting: ObjectId | null;
      answer: MessageState | null; inbox: MessageState[];
    }
  | { id: ObjectId; kind: 'endpoint'; alive: boolean; owner: ObjectId; pending: number }
  /** caller 0: a client outside the machine (Kernel.hostCall). */
  | { id: ObjectId; kind: 'reply'; alive: boolean; caller: ObjectId; used: boolean; weak: boolean }
  | { id: ObjectId; kind: 'storage'; alive: boolean; data: PlainData; version: number }
  | { id: ObjectId; kind: 'store'; alive: boolean; owner: ObjectId }
  | { id: ObjectId; kind: 'gatekeeper'; alive: boolean };

/** A sturdy reference (kernel/sturdy/table.ts); its secret appears only as its sha256. */
export interface SturdyState {
  id: number;
  /** sha256 of the secret, lowercase hex. */
  hash: string;
  /** Index of its anchor in the caps array, or null when it has none (revoked, or its target gone). */
  anchor: number | null;
  target: ObjectId;
  kind: ObjectKind;
  rights: number;
  badge: number;
  maker: ObjectId;
  createdCrank: number;
  revoked: boolean;
}

export interface CapState {
  object: ObjectId;
  rights: number;
  badge: number;
  /** Index of the parent in the caps array (parents come first), or null for a root. */
  parent: number | null;
  /** A c-list slot (pid, slot), a message in transit (seq, index), or the anchor of a sturdy reference. */
  holder: { pid: ObjectId; slot: number } | { seq: number; index: number } | { sturdy: number };
  name: string | null;
  capId: number;
  /** Checkpoint identity (Cap.serial), kept across an import; exportState leaves it out. */
  serial?: number;
}

export interface KernelState {
  format: typeof KERNEL_STATE_FORMAT;
  seed: number;
  schedule: ScheduleMode;
  limits: Limits;
  crankCount: number;
  messageSeq: number;
  rng: number[];
  trace: { hash: number[]; count: number };
  objects: ObjectState[];
  caps: CapState[];
  /** Sturdy references by id; absent in states written before they existed. */
  sturdy?: SturdyState[];
  ready: ObjectId[];
  throttled: ObjectId[];
}

export function exportState(k: Kernel): KernelState {
  const objects = [...k.objects.values()].sort((a, b) => a.id - b.id);
  const caps = exportCaps(objects, k.sturdy);
  const objectStates = objects.map((o) => exportObject(o, caps.index));
  const sturdy = exportSturdy(k.sturdy, caps.index);
  const { ready, throttled } = k.scheduler.order();
  return {
    format: KERNEL_STATE_FORMAT,
    seed: k.seed,
    schedule: k.scheduler.mode,
    limits: { ...k.limits },
    crankCount: k.crankCount,
    messageSeq: k.messageSeq,
    rng: k.rng.getState(),
    trace: k.trace.getState(),
    objects: objectStates,
    caps: caps.states,
    sturdy,
    ready: ready.map((p) => p.id),
    throttled: throttled.map((p) => p.id),
  };
}

/** A short hash of the exported state: equal kernels, equal hashes. */
export function stateHash(k: Kernel): string {
  return createHash('sha256').update(JSON.stringify(exportState(k))).digest('hex').slice(0, 16);
}

function exportSturdy(table: SturdyTable, index: Map<Cap, number>): SturdyState[] {
  const out: SturdyState[] = [];
  for (const e of table.values()) {
    out.push({
      id: e.id, hash: Buffer.from(e.hash).toString('hex'), anchor: e.anchor === null ? null : (index.get(e.anchor) ?? null),
      target: e.target, kind: e.kind, rights: e.rights, badge: e.badge, maker: e.maker, createdCrank: e.createdCrank, revoked: e.revoked,
    });
  }
  return out.sort((a, b) => a.id - b.id);
}

function exportCaps(objects: KObject[], sturdy: SturdyTable): { states: CapState[]; index: Map<Cap, number> } {
  // Every live capability sits in a c-list, in a message queued for a process, or anchors a sturdy reference.
  const held: Cap[] = [];
  const transitOf = new Map<Cap, Message>();
  const anchors = [...sturdy.values()].sort((a, b) => a.id - b.id);
  for (const e of anchors) if (e.anchor !== null && e.anchor.live) held.push(e.anchor);
  for (const o of objects) {
    if (o.kind !== 'process') continue;
    for (const [, cap] of o.cspace.entries()) held.push(cap);
    for (const m of messagesOf(o)) {
      for (const cap of m.caps ?? []) {
        if (!cap.live) continue;
        held.push(cap);
        transitOf.set(cap, m);
      }
    }
  }
  const roots: Cap[] = [];
  const seen = new Set<Cap>();
  for (const cap of held) {
    let root = cap;
    while (root.parent !== null) root = root.parent;
    if (!seen.has(root)) {
      seen.add(root);
      roots.push(root);
    }
  }
  const states: CapState[] = [];
  const index = new Map<Cap, number>();
  const heldSet = new Set(held);
  // Pre-order over each tree keeps parents before children and siblings in derivation order.
  const stack: Cap[] = [];
  for (const root of roots) {
    stack.push(root);
    while (stack.length > 0) {
      const cap = stack.pop() as Cap;
      assert(heldSet.has(cap), 'a capability in the derivation tree is held nowhere');
      index.set(cap, states.length);
      states.push({
        object: cap.object.id,
        rights: cap.rights,
        badge: cap.badge,
        parent: cap.parent === null ? null : (index.get(cap.parent) ?? null),
        holder: holderOf(cap, transitOf, sturdy),
        name: cap.name,
        capId: cap.capId,
      });
      const kids: Cap[] = [];
      for (let c = cap.firstChild; c !== null; c = c.nextSibling) kids.push(c);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as Cap);
    }
  }
  return { states, index };
}

function holderOf(cap: Cap, transitOf: Map<Cap, Message>, sturdy: SturdyTable): CapState['holder'] {
  if (cap.holder !== null && cap.holder.kind === 'process') return { pid: (cap.holder as Process).id, slot: cap.slot };
  const anchored = cap.holder === null ? sturdy.entryOfAnchor(cap) : undefined;
  if (anchored !== undefined) return { sturdy: anchored.id };
  const message = transitOf.get(cap);
  assert(message !== undefined, 'a capability in transit belongs to no queued message');
  return { seq: message.seq, index: cap.slot };
}

function messagesOf(p: Process): Message[] {
  const out = p.inbox.toArray();
  if (p.answer !== null) out.push(p.answer);
  return out;
}

function exportMessage(m: Message, index: Map<Cap, number>): MessageState {
  return {
    seq: m.seq,
    type: m.type,
    target: m.target.id,
    endpoint: m.endpoint?.id ?? null,
    badge: m.badge,
    payload: m.payload,
    caps: m.caps === null ? null : m.caps.filter((c) => c.live).map((c) => index.get(c) as number),
    reply: m.reply?.id ?? null,
    account: m.account.id,
    from: m.from,
    error: m.error,
  };
}

function exportObject(o: KObject, index: Map<Cap, number>): ObjectState {
  switch (o.kind) {
    case 'process':
      return {
        id: o.id, kind: 'process', alive: o.alive, program: o.program, args: [...o.args], state: o.state, status: o.status,
        generation: o.generation, debt: o.debt, lastFault: o.lastFault, store: o.store?.id ?? null, awaiting: o.awaiting?.id ?? null,
        answer: o.answer === null ? null : exportMessage(o.answer, index),
        inbox: o.inbox.toArray().map((m) => exportMessage(m, index)),
      };
    case 'endpoint':
      return { id: o.id, kind: 'endpoint', alive: o.alive, owner: o.owner.id, pending: o.pending };
    case 'reply':
      return { id: o.id, kind: 'reply', alive: o.alive, caller: o.caller?.id ?? 0, used: o.used, weak: o.weak };
    case 'storage':
      return { id: o.id, kind: 'storage', alive: o.alive, data: o.data, version: o.version };
    case 'store':
      return { id: o.id, kind: 'store', alive: o.alive, owner: o.owner.id };
    case 'gatekeeper':
      return { id: o.id, kind: 'gatekeeper', alive: o.alive };
  }
}

/**
 * Rebuilds a kernel from exported state. The allocator (in `options`) must be past every ID in
 * the state; the kernel checks each new ID against its table anyway.
 */
export function importState(state: KernelState, options: Omit<KernelOptions, 'seed' | 'schedule' | 'limits'>): Kernel {
  if (state.format !== KERNEL_STATE_FORMAT) throw new KernelUsageError(`kernel state format '${String(state.format)}' is not ${KERNEL_STATE_FORMAT}`);
  const k = new Kernel({ ...options, seed: state.seed, schedule: state.schedule, limits: state.limits });
  const need = <T extends KObject['kind']>(id: ObjectId, kind: T): Extract<KObject, { kind: T }> => {
    const o = k.objects.get(id);
    if (!o || o.kind !== kind) throw new KernelUsageError(`kernel state names ${kind} ${id}, which it does not hold`);
    return o as Extract<KObject, { kind: T }>;
  };
  // Pass 1: processes, so that every other object can point at its owner.
  for (const s of state.objects) {
    if (s.kind !== 'process') continue;
    if (!Object.prototype.hasOwnProperty.call(k.programs, s.program)) throw new KernelUsageError(`program '${s.program}' is not registered`);
    const args = [...s.args];
    freezePlain(args, Number.MAX_SAFE_INTEGER, k.limits.payload_depth_max);
    freezePlain(s.state, Number.MAX_SAFE_INTEGER, k.limits.payload_depth_max);
    const p = new Process(s.id, s.program, args, k.limits.slots_max);
    Object.assign(p, { alive: s.alive, state: s.state, status: s.status, generation: s.generation, debt: s.debt, lastFault: s.lastFault });
    k.objects.set(p.id, p);
  }
  // Pass 2: the other objects.
  for (const s of state.objects) {
    let o: KObject;
    switch (s.kind) {
      case 'process':
        continue;
      case 'endpoint':
        o = new Endpoint(s.id, need(s.owner, 'process'));
        o.pending = s.pending;
        break;
      case 'reply':
        o = new Reply(s.id, s.caller === 0 ? null : need(s.caller, 'process'), s.weak);
        o.used = s.used;
        break;
      case 'storage':
        freezePlain(s.data, Number.MAX_SAFE_INTEGER, k.limits.payload_depth_max);
        o = new StorageObject(s.id, s.data, s.version);
        break;
      case 'store':
        o = new StoreObject(s.id, need(s.owner, 'process'));
        break;
      case 'gatekeeper':
        o = new Gatekeeper(s.id);
        break;
    }
    o.alive = s.alive;
    k.objects.set(o.id, o);
  }
  // Pass 3: capabilities, parents first; transit ones are picked up by their messages below.
  const caps: Cap[] = [];
  const anchorOf = new Map<number, Cap>();
  for (const c of state.caps) {
    const object = k.objects.get(c.object);
    if (!object) throw new KernelUsageError(`kernel state has a capability to missing object ${c.object}`);
    const cap = new Cap(object, c.rights, c.badge);
    cap.capId = c.capId;
    if (c.serial !== undefined) cap.serial = c.serial;
    if (c.parent !== null) linkChild(caps[c.parent] as Cap, cap);
    if ('pid' in c.holder) {
      const p = need(c.holder.pid, 'process');
      p.cspace.put(c.holder.slot, cap, p);
      if (c.name !== null) {
        cap.name = c.name;
        p.named.set(c.name, cap);
      }
    } else if ('sturdy' in c.holder) {
      anchorOf.set(c.holder.sturdy, cap);
    } else {
      cap.slot = c.holder.index;
    }
    caps.push(cap);
  }
  for (const e of state.sturdy ?? []) {
    const anchor = e.anchor === null ? null : (caps[e.anchor] ?? null);
    if (e.anchor !== null && (anchor === null || anchorOf.get(e.id) !== anchor)) throw new KernelUsageError(`kernel state: sturdy reference ${e.id} names an anchor it does not have`);
    k.sturdy.add({ id: e.id, hash: Uint8Array.from(Buffer.from(e.hash, 'hex')), anchor, target: e.target, kind: e.kind, rights: e.rights, badge: e.badge, maker: e.maker, createdCrank: e.createdCrank, revoked: e.revoked }, null);
  }
  const importMessage = (m: MessageState): Message => {
    const carried = m.caps === null ? null : m.caps.map((i) => caps[i] as Cap);
    const reply = m.reply === null ? null : need(m.reply, 'reply');
    return new Message(m.seq, m.type, need(m.target, 'process'), m.endpoint === null ? null : need(m.endpoint, 'endpoint'), m.badge, m.payload, carried, reply, need(m.account, 'process'), m.from, m.error as Message['error']);
  };
  // Pass 4: queues, answers, store links.
  for (const s of state.objects) {
    if (s.kind !== 'process') continue;
    const p = need(s.id, 'process');
    for (const m of s.inbox) p.inbox.push(importMessage(m));
    p.answer = s.answer === null ? null : importMessage(s.answer);
    p.awaiting = s.awaiting === null ? null : need(s.awaiting, 'reply');
    p.store = s.store === null ? null : need(s.store, 'store');
  }
  k.crankCount = state.crankCount;
  k.messageSeq = state.messageSeq;
  k.rng.setState(state.rng);
  k.trace.setState(state.trace);
  k.scheduler.restore(state.ready.map((id) => need(id, 'process')), state.throttled.map((id) => need(id, 'process')));
  k.takeChanges();
  return k;
}
