/**
 * The kernel: the object table, the host API (spawn, wire, inject, step) and the crank loop.
 *
 * A crank delivers one message to one process. Protocol:
 *   1. the scheduler picks a process; its answer (if it waits on a call) or its oldest message
 *      is taken, and the carried capabilities are placed in its c-list;
 *   2. the program's handler runs with a fresh ctx; every syscall checks first, then changes,
 *      pushing its inverse to the journal; sends wait in the crank's outbox;
 *   3. commit: the new state (checked plain data) is installed, the outbox is enqueued, callers
 *      whose replies were dropped are released, and the delivery is repaid to its account;
 *      abort (the handler threw): the journal rolls back, the outbox is discarded, the process
 *      faults and the fault hook (the restart policy) decides what follows.
 * Either way the kernel is consistent between cranks: that is where checkpoints and power loss
 * may fall (DESIGN.md I2).
 */
import { linkChild, newRootCap, type Cap } from './caps/capability.ts';
import { derive, destroy, place, revoke, setName, type CapEnv } from './caps/cap-ops.ts';
import { ALL_RIGHTS, formatRights, GRANT, isDiminished, READ, RIGHTS_MASK, WRITE, type Rights } from './caps/rights.ts';
import { KernelError, KernelUsageError, assert, violated, type KernelErrorCode } from './errors.ts';
import { CounterAllocator, type IdAllocator, type ObjectId } from './ids.ts';
import { Message, type MessageKind } from './ipc/message.ts';
import { Scheduler, type ScheduleMode } from './ipc/scheduler.ts';
import { Journal } from './journal.ts';
import { resolveLimits, type Limits } from './limits.ts';
import { Endpoint } from './objects/endpoint.ts';
import { Gatekeeper } from './objects/gatekeeper.ts';
import type { KObject } from './objects/kobject.ts';
import { Process } from './objects/process.ts';
import { Reply } from './objects/reply.ts';
import { StorageObject } from './objects/storage-object.ts';
import { StoreObject } from './objects/store-object.ts';
import { freezePlain, type PlainData } from './plain-data.ts';
import { STORE_SLOT, type Delivery, type Program, type ProgramTable } from './program.ts';
import { Rng } from './rng.ts';
import { SyscallContext } from './syscalls.ts';
import { Trace, type TraceMode } from './trace.ts';
import { seededSecrets, type SecretSource } from './sturdy/secret.ts';
import { SturdyTable, type SturdyEntry } from './sturdy/table.ts';
import { redactTokens } from './sturdy/token.ts';
import { describeThrown } from './describe-thrown.ts';
import { types } from 'node:util';

export interface KernelOptions {
  programs: ProgramTable;
  seed?: number;
  schedule?: ScheduleMode;
  limits?: Partial<Limits>;
  allocator?: IdAllocator;
  trace?: TraceMode;
  /** How many trace events 'full' mode keeps in memory. */
  traceKeep?: number;
  /** Called after a crank faulted; the restart policy lives here. Default: the process stays faulted. */
  onFault?: (kernel: Kernel, process: Process, error: string) => void;
  /** Called when a process exits normally; true restarts it (a permanent policy), false ends it. Default: ends it. */
  onExit?: (kernel: Kernel, process: Process) => boolean;
  /** Where sturdy references' secrets come from. Default: the run's seeded generator (kernel/sturdy/secret.ts). */
  secrets?: SecretSource;
}

export interface CrankResult {
  crank: number;
  pid: ObjectId;
  program: string;
  type: MessageKind;
  fault: string | null;
}

/**
 * An answer to a call a client outside the machine made (`hostCall`): the program's reply, or
 * the kernel's error when the callee could not answer. The host collects these between cranks
 * (`takeHostAnswers`); when it lets them leave the machine is its decision (output commit).
 */
export interface HostAnswer {
  /** The reply object of the call: the ticket `hostCall` returned. */
  reply: ObjectId;
  ok: boolean;
  payload: PlainData;
  error: KernelErrorCode | null;
  /** The crank that produced the answer (the kernel's own crank count). */
  crank: number;
}

/**
 * What the host did to the kernel, in order: an input, a client's call, a note in the trace, a
 * step that found nothing runnable, a step that ran a crank. A recorder that keeps these can
 * replay a run exactly from an exported state (the viewer's rewind), clients and all.
 */
export type HostAction =
  | { kind: 'inject'; endpoint: ObjectId; payload: PlainData; badge: number }
  | { kind: 'call'; endpoint: ObjectId; payload: PlainData; badge: number }
  | { kind: 'note'; text: string }
  | { kind: 'idle' }
  | { kind: 'crank' };

/**
 * What a crank collects while it runs, applied at commit. A kernel keeps one and begins it
 * afresh for each crank (cranks run one at a time; a crank that ends a process may start its
 * replacement's, after it is done with this one), so a crank allocates no state of its own:
 * the outbox is a kept array filled from 0, and the lists most cranks leave empty are made on
 * first use.
 */
export class CrankState {
  readonly #outbox: Message[] = [];
  /** Messages sent in this crank: outbox(0) .. outbox(sent - 1). */
  sent = 0;
  #hostAnswers: Omit<HostAnswer, 'crank'>[] | null = null;
  #releases: Reply[] | null = null;
  #created: KObject[] | null = null;
  callMade: Reply | null = null;
  exitRequested = false;
  /** The process whose crank this is (set by begin, before any crank reads it). */
  process!: Process;
  /** The account every send of this crank is charged to. */
  account!: Process;

  /** Empties it for a crank of `process` charged to `account`. */
  begin(process: Process, account: Process): void {
    // The last crank's messages are in inboxes now: the kept array lets go of them.
    for (let i = 0; i < this.sent; i++) this.#outbox[i] = undefined as never;
    this.sent = 0;
    this.#hostAnswers = null;
    this.#releases = null;
    this.#created = null;
    this.callMade = null;
    this.exitRequested = false;
    this.process = process;
    this.account = account;
  }

  /** Adds a message to the outbox (the caller checked sends_per_crank_max). */
  post(message: Message): void {
    this.#outbox[this.sent++] = message;
  }

  /** The i-th message sent in this crank. */
  outbox(i: number): Message {
    return this.#outbox[i]!;
  }

  /** True when the crank answered a client outside or dropped a reply: commit has those to release. */
  get hasAftermath(): boolean {
    return this.#hostAnswers !== null || this.#releases !== null;
  }

  /** Answers to clients outside the machine, released at commit with the rest. */
  get hostAnswers(): readonly Omit<HostAnswer, 'crank'>[] {
    return this.#hostAnswers ?? NOTHING;
  }

  answerHost(answer: Omit<HostAnswer, 'crank'>): void {
    (this.#hostAnswers ??= []).push(answer);
  }

  /** Replies dropped unanswered during this crank: their callers are released at commit. */
  get releases(): readonly Reply[] {
    return this.#releases ?? NOTHING;
  }

  releaseAtCommit(reply: Reply): void {
    (this.#releases ??= []).push(reply);
  }

  /** Objects created in this crank, removed again on abort. */
  get created(): readonly KObject[] {
    return this.#created ?? NOTHING;
  }

  noteCreated(object: KObject): void {
    (this.#created ??= []).push(object);
  }
}

const NOTHING: readonly never[] = Object.freeze([]);

export interface Changes {
  /** Processes whose registration (named set, derivation above a name, status) changed. */
  registrations: Set<Process>;
  /** Storage objects whose data changed. */
  storage: Set<StorageObject>;
  /** Capabilities destroyed that had been persisted (capId != 0). */
  destroyedCapIds: number[];
  /** Sturdy references made or revoked: their records are rewritten. */
  sturdy: Set<number>;
}

const EMPTY_SLOTS: readonly number[] = Object.freeze([]);

type MutableDelivery = { -readonly [K in keyof Delivery]: Delivery[K] };

export class Kernel implements CapEnv {
  readonly programs: ProgramTable;
  readonly limits: Limits;
  readonly seed: number;
  readonly rng: Rng;
  readonly scheduler: Scheduler;
  readonly trace: Trace;
  allocator: IdAllocator;
  readonly objects = new Map<ObjectId, KObject>();
  onFault: ((kernel: Kernel, process: Process, error: string) => void) | null;
  onExit: ((kernel: Kernel, process: Process) => boolean) | null;
  crankCount = 0;
  messageSeq = 0;
  current: CrankState | null = null;
  /** The one CrankState every crank begins afresh (see CrankState). */
  readonly #crankState = new CrankState();
  readonly journal = new Journal();
  changes: Changes = { registrations: new Set(), storage: new Set(), destroyedCapIds: [], sturdy: new Set() };
  /** Sturdy references: tokens a gatekeeper resolves (kernel/sturdy/table.ts). */
  readonly sturdy = new SturdyTable();
  readonly secrets: SecretSource;
  /** Answers for clients outside the machine, waiting for the host to take them. */
  private hostAnswers: HostAnswer[] = [];
  /** Told of every host action as it takes effect (null: nobody records them). */
  hostSink: ((action: HostAction) => void) | null = null;

  constructor(options: KernelOptions) {
    this.programs = options.programs;
    this.limits = resolveLimits(options.limits);
    this.seed = (options.seed ?? 1) >>> 0;
    this.rng = new Rng(this.seed);
    this.scheduler = new Scheduler(options.schedule ?? 'fifo', this.rng, this.limits.account_debt_max);
    this.trace = new Trace(options.trace ?? 'hash', options.traceKeep);
    this.allocator = options.allocator ?? new CounterAllocator();
    this.onFault = options.onFault ?? null;
    this.onExit = options.onExit ?? null;
    this.secrets = options.secrets ?? seededSecrets(this.rng);
  }

  // ---- objects ---------------------------------------------------------------------------

  /** A fresh ObjectId, checked against the table so that an allocator bug cannot alias objects. */
  newId(): ObjectId {
    if (this.objects.size >= this.limits.objects_max) {
      throw new KernelError('object_limit', `${this.objects.size} objects, limit ${this.limits.objects_max}`);
    }
    const id = this.allocator.next();
    if (!Number.isSafeInteger(id) || id <= 0 || this.objects.has(id)) violated(`allocator returned a used or invalid id ${id}`);
    return id;
  }

  /** Adds an object; inside a crank it is removed again if the crank aborts. */
  adopt<T extends KObject>(object: T): T {
    if (this.objects.has(object.id)) violated(`object ${object.id} exists already`);
    this.objects.set(object.id, object);
    this.current?.noteCreated(object);
    return object;
  }

  process(pid: ObjectId): Process {
    const o = this.objects.get(pid);
    if (!o || o.kind !== 'process') throw new KernelUsageError(`no process ${pid}`);
    return o;
  }

  *processes(): IterableIterator<Process> {
    for (const o of this.objects.values()) if (o.kind === 'process') yield o;
  }

  program(p: Process): Program {
    const program = this.programs[p.program];
    if (!program) throw new KernelUsageError(`program '${p.program}' is not registered`);
    return program;
  }

  // ---- host API: building a system --------------------------------------------------------

  /** Creates a process (not yet started). A persistent one gets its store capability in slot 0. */
  spawn(program: string, args: readonly PlainData[] = [], opts: { persistent?: boolean; id?: ObjectId } = {}): ObjectId {
    if (!Object.prototype.hasOwnProperty.call(this.programs, program)) {
      throw new KernelUsageError(`program '${program}' is not registered (known: ${Object.keys(this.programs).join(', ')})`);
    }
    const frozenArgs = [...args];
    freezePlain(frozenArgs, this.limits.payload_bytes_max, this.limits.payload_depth_max);
    const p = this.adopt(new Process(opts.id ?? this.newId(), program, frozenArgs, this.limits.slots_max));
    if (opts.persistent) this.makePersistent(p);
    if (this.trace.enabled) this.record({ crank: this.crankCount, ev: 'spawn', pid: p.id, program });
    return p.id;
  }

  /** Gives `p` a store object and its capability in STORE_SLOT. */
  makePersistent(p: Process, storeId?: ObjectId): StoreObject {
    if (p.store !== null) violated(`process ${p.id} is persistent already`);
    const store = this.adopt(new StoreObject(storeId ?? this.newId(), p));
    p.store = store;
    if (p.cspace.slots[STORE_SLOT]) throw new KernelUsageError(`process ${p.id}: slot ${STORE_SLOT} is taken, the store capability goes there`);
    place(p, STORE_SLOT, newRootCap(store, READ | WRITE, 0), null);
    this.changes.registrations.add(p);
    return store;
  }

  /** Creates an endpoint owned by `pid` and puts a full capability to it in pid's c-list. */
  createEndpoint(pid: ObjectId, opts: { name?: string; slot?: number; id?: ObjectId } = {}): { id: ObjectId; slot: number } {
    const owner = this.process(pid);
    const endpoint = this.adopt(new Endpoint(opts.id ?? this.newId(), owner));
    const slot = this.installRoot(owner, endpoint, ALL_RIGHTS, 0, opts);
    return { id: endpoint.id, slot };
  }

  /** Creates a storage object and puts a full capability to it in pid's c-list. */
  createStorage(pid: ObjectId, data: PlainData, opts: { name?: string; slot?: number } = {}): { id: ObjectId; slot: number } {
    const p = this.process(pid);
    freezePlain(data, this.limits.payload_bytes_max, this.limits.payload_depth_max);
    const storage = this.adopt(new StorageObject(this.newId(), data, 1));
    this.changes.storage.add(storage);
    const slot = this.installRoot(p, storage, ALL_RIGHTS, 0, opts);
    return { id: storage.id, slot };
  }

  /** Host wiring: a child of `from`'s capability in `fromSlot`, with diminished rights, into `to`'s c-list. */
  grant(fromPid: ObjectId, fromSlot: number, toPid: ObjectId, opts: { rights?: Rights; badge?: number; name?: string; slot?: number } = {}): number {
    const from = this.process(fromPid);
    const to = this.process(toPid);
    const source = from.cspace.lookup(fromSlot);
    const rights = opts.rights ?? source.rights;
    if (source.object.kind === 'reply') throw new KernelUsageError('reply capabilities cannot be granted');
    if (!Number.isInteger(rights) || (rights & ~RIGHTS_MASK) !== 0) throw new KernelUsageError(`rights ${rights} is not a rights mask (r=1, w=2, g=4, k=8)`);
    if (!isDiminished(source.rights, rights)) throw new KernelUsageError(`rights ${rights} exceed the source's ${source.rights}`);
    const badge = opts.badge ?? source.badge;
    if (source.badge !== 0 && badge !== source.badge) throw new KernelUsageError('the source capability is badged already');
    const slot = opts.slot === undefined ? to.cspace.firstFree() : to.cspace.checkFree(opts.slot);
    const child = derive(source, rights, badge, null);
    place(to, slot, child, null);
    if (opts.name !== undefined) this.name(to.id, slot, opts.name);
    return slot;
  }

  /** Host wiring: names the capability in `slot` in the process's named set. */
  name(pid: ObjectId, slot: number, name: string): void {
    const p = this.process(pid);
    const cap = p.cspace.lookup(slot);
    if (name.length === 0 || name.length > this.limits.name_length_max) throw new KernelUsageError(`capability name '${name}' is empty or too long`);
    setName(this, p, name, cap, null);
  }

  installRoot(p: Process, object: KObject, rights: Rights, badge: number, opts: { name?: string; slot?: number }): number {
    const slot = opts.slot === undefined ? p.cspace.firstFree() : p.cspace.checkFree(opts.slot);
    place(p, slot, newRootCap(object, rights, badge), null);
    if (opts.name !== undefined) this.name(p.id, slot, opts.name);
    return slot;
  }

  /** Creates a gatekeeper (an object no process owns) and returns its ID. */
  createGatekeeper(opts: { id?: ObjectId } = {}): ObjectId {
    return this.adopt(new Gatekeeper(opts.id ?? this.newId())).id;
  }

  /** Host wiring: a capability to a gatekeeper in `pid`'s c-list (a root: no process owns a gatekeeper to derive from). */
  grantGatekeeper(gatekeeperId: ObjectId, pid: ObjectId, opts: { rights?: Rights; name?: string; slot?: number } = {}): number {
    const gatekeeper = this.objects.get(gatekeeperId);
    if (!gatekeeper || gatekeeper.kind !== 'gatekeeper') throw new KernelUsageError(`no gatekeeper ${gatekeeperId}`);
    const rights = opts.rights ?? (READ | WRITE);
    if (!Number.isInteger(rights) || (rights & ~RIGHTS_MASK) !== 0) throw new KernelUsageError(`rights ${rights} is not a rights mask (r=1, w=2, g=4, k=8)`);
    return this.installRoot(this.process(pid), gatekeeper, rights, 0, opts);
  }

  /** Marks a sturdy reference changed, so its record is rewritten; undone if the crank aborts. */
  sturdyChanged(entry: SturdyEntry, journal: Journal | null): void {
    if (this.changes.sturdy.has(entry.id)) return;
    this.changes.sturdy.add(entry.id);
    const changes = this.changes;
    journal?.push(() => {
      changes.sturdy.delete(entry.id);
    });
  }

  /**
   * Boot: puts back a sturdy reference as its record says. Its anchor is derived from `parent`
   * (the nearest surviving ancestor of the capability it was made from) or is a root when none
   * survived; with no live target it has no anchor and resolves to 'revoked'. No change is
   * recorded: what is restored equals the database.
   */
  restoreSturdy(entry: Omit<SturdyEntry, 'anchor'>, parent: Cap | null): SturdyEntry {
    if (this.sturdy.get(entry.id) !== undefined) violated(`sturdy reference ${entry.id} restored twice`);
    const target = this.objects.get(entry.target);
    let anchor: Cap | null = null;
    if (!entry.revoked && target !== undefined && target.alive && target.kind === entry.kind) {
      anchor = parent !== null && parent.object === target ? derive(parent, entry.rights, entry.badge, null) : newRootCap(target, entry.rights, entry.badge);
    }
    const restored: SturdyEntry = { ...entry, anchor };
    this.sturdy.add(restored, null);
    return restored;
  }

  /**
   * Host: revokes a sturdy reference between cranks (a boot that learns of a revocation the
   * checkpoint predates). Capabilities already restored from it stay, as after `ctx.unsturdy`.
   */
  revokeSturdy(entry: SturdyEntry): void {
    this.checkBetweenCranks('unsturdy');
    if (entry.anchor !== null && entry.anchor.live) destroy(this, entry.anchor, null);
    else this.sturdy.markRevoked(entry, null);
    this.sturdyChanged(entry, null);
  }

  // ---- host API: restoring a persisted system (the restart agent's phases 3 and 4) ------------------

  /** A gatekeeper under its original ID. */
  restoreGatekeeper(id: ObjectId): Gatekeeper {
    return this.adopt(new Gatekeeper(id));
  }

  /** An endpoint shell under its original ID, owned by an already restored process. */
  restoreEndpoint(id: ObjectId, ownerPid: ObjectId): Endpoint {
    return this.adopt(new Endpoint(id, this.process(ownerPid)));
  }

  /** A storage object under its original ID with its persisted data and version. */
  restoreStorage(id: ObjectId, data: PlainData, version: number): StorageObject {
    freezePlain(data, Number.MAX_SAFE_INTEGER, this.limits.payload_depth_max);
    return this.adopt(new StorageObject(id, data, version));
  }

  /**
   * Boot's fast path for a named capability: straight into a free slot and the named set, with
   * its persistent identity. No change is recorded: what is restored equals the database.
   */
  restoreCap(p: Process, slot: number, object: KObject, rights: Rights, badge: number, name: string, capId: number): Cap {
    if (p.cspace.slots[slot] || p.named.has(name)) violated(`restoring into a taken slot ${slot} or name '${name}' of p${p.id}`);
    const cap = newRootCap(object, rights, badge);
    cap.capId = capId;
    cap.name = name;
    p.cspace.put(slot, cap, p);
    p.named.set(name, cap);
    return cap;
  }

  /**
   * Host: removes every capability derived from the one in `slot` of `pid`, between cranks, as
   * the revoke syscall does inside one (no journal: there is nothing to roll back). The
   * capability itself stays. Returns how many went.
   */
  revokeSlot(pid: ObjectId, slot: number): number {
    this.checkBetweenCranks('revoke');
    const removed = this.revokeBelow(this.process(pid).cspace.lookup(slot));
    this.record({ crank: this.crankCount, ev: 'revoke', pid, slot, removed });
    return removed;
  }

  /** Host: deletes the capability in `slot` of `pid`, between cranks; what derives from it moves up to its parent. */
  deleteSlot(pid: ObjectId, slot: number): void {
    this.checkBetweenCranks('delete');
    const cap = this.process(pid).cspace.lookup(slot);
    destroy(this, cap, null);
    this.record({ crank: this.crankCount, ev: 'cap', pid, op: 'delete', slot, to: -1, rights: formatRights(cap.rights), badge: cap.badge });
  }

  /**
   * Host: destroys a capability and everything derived from it, as a revoke of it followed by
   * its deletion — for a restore that learns the capability was revoked after its checkpoint.
   * Returns how many capabilities went.
   */
  dropCapability(cap: Cap): number {
    if (!cap.live) return 0;
    const below = this.revokeBelow(cap);
    destroy(this, cap, null);
    return below + 1;
  }

  private revokeBelow(cap: Cap): number {
    const removed = revoke(this, cap, this.limits.revoke_visits_max, null);
    if (removed === null) throw new KernelError('object_limit', `more than ${this.limits.revoke_visits_max} derived capabilities`);
    return removed;
  }

  private checkBetweenCranks(what: string): void {
    if (this.current !== null) throw new KernelUsageError(`a host ${what} cannot run inside a crank`);
  }

  /** Links a restored capability under its restored parent, restoring the derivation tree. */
  linkDerivation(child: Cap, parent: Cap): void {
    assert(child.parent === null && child !== parent, 'a capability is linked twice');
    linkChild(parent, child);
  }

  /** Runs a new process's init as a crank. */
  start(pid: ObjectId): CrankResult {
    const p = this.process(pid);
    if (p.status !== 'new') throw new KernelUsageError(`process ${pid} is ${p.status}, not new`);
    if (this.trace.enabled) this.record({ crank: this.crankCount, ev: 'start', pid: p.id, program: p.program });
    const init = new Message(++this.messageSeq, 'init', p, null, 0, null, null, null, p, 0, null);
    p.debt++; // charged like any delivery, repaid when the crank ends
    return this.crankResult(p, init);
  }

  /** Starts every new process, in ID order. */
  startAll(): CrankResult[] {
    const fresh = [...this.processes()].filter((p) => p.status === 'new').sort((a, b) => a.id - b.id);
    return fresh.map((p) => this.start(p.id));
  }

  /** External input: the host sends a message to an endpoint, charged to the endpoint's owner. */
  inject(endpointId: ObjectId, payload: PlainData, badge = 0): void {
    const endpoint = this.objects.get(endpointId);
    if (!endpoint || endpoint.kind !== 'endpoint') throw new KernelUsageError(`no endpoint ${endpointId}`);
    if (!endpoint.alive || !endpoint.owner.alive) throw new KernelError('revoked', `endpoint ${endpointId} is gone`);
    if (endpoint.pending >= this.limits.queue_length_max) throw new KernelError('queue_full', `endpoint ${endpointId} holds ${endpoint.pending} messages`);
    freezePlain(payload, this.limits.payload_bytes_max, this.limits.payload_depth_max);
    endpoint.pending++;
    const owner = endpoint.owner;
    this.enqueue(new Message(++this.messageSeq, 'send', owner, endpoint, badge, payload, null, null, owner, 0, null));
    this.hostSink?.({ kind: 'inject', endpoint: endpointId, payload, badge });
  }

  /**
   * A call from a client outside the machine: like `inject`, charged to the endpoint's owner,
   * but as a call whose reply object has no calling process. Returns that reply object's ID,
   * the ticket under which the answer appears in `takeHostAnswers`. Checks first: a gone
   * endpoint or a full queue throws and changes nothing.
   */
  hostCall(endpointId: ObjectId, payload: PlainData, badge = 0): ObjectId {
    this.checkBetweenCranks('call');
    const endpoint = this.objects.get(endpointId);
    if (!endpoint || endpoint.kind !== 'endpoint') throw new KernelUsageError(`no endpoint ${endpointId}`);
    if (!endpoint.alive || !endpoint.owner.alive || endpoint.owner.status === 'exited') throw new KernelError('revoked', `endpoint ${endpointId} is gone`);
    if (endpoint.pending >= this.limits.queue_length_max) throw new KernelError('queue_full', `endpoint ${endpointId} holds ${endpoint.pending} messages`);
    freezePlain(payload, this.limits.payload_bytes_max, this.limits.payload_depth_max);
    const reply = this.adopt(new Reply(this.newId(), null, false));
    endpoint.pending++;
    const owner = endpoint.owner;
    this.enqueue(new Message(++this.messageSeq, 'call', owner, endpoint, badge, payload, null, reply, owner, 0, null));
    this.hostSink?.({ kind: 'call', endpoint: endpointId, payload, badge });
    return reply.id;
  }

  /** A line from the host in the trace, between cranks (an answer that left the machine, say). */
  hostNote(text: string): void {
    this.record({ crank: this.crankCount, ev: 'note', pid: 0, text });
    this.hostSink?.({ kind: 'note', text });
  }

  /** The answers for clients outside the machine since the last call, oldest first. */
  takeHostAnswers(): HostAnswer[] {
    if (this.hostAnswers.length === 0) return [];
    const taken = this.hostAnswers;
    this.hostAnswers = [];
    return taken;
  }

  // ---- running -------------------------------------------------------------------------------

  /** The delivery lent to programs that borrow theirs (Program.borrowsDelivery), refilled per crank. */
  readonly #lentDelivery: MutableDelivery = { type: 'send', badge: 0, payload: null, caps: EMPTY_SLOTS, dropped: 0, reply: null, error: null };
  /** Made once: a step that made its own closure for the scheduler paid for it on every crank. */
  readonly #traceThrottle = (t: Process): void => this.record({ crank: this.crankCount, ev: 'throttle', pid: t.id, debt: t.debt });

  /** Runs one crank; null when nothing is runnable. */
  step(): CrankResult | null {
    const p = this.nextToRun();
    return p === null ? null : this.crankResult(p, this.takeDelivery(p));
  }

  /** Runs up to `cranksMax` cranks (bounded by the limit); returns how many ran. */
  run(cranksMax: number = this.limits.cranks_per_run_max): number {
    const bound = Math.min(cranksMax, this.limits.cranks_per_run_max);
    let n = 0;
    // As step() does, without making a result for each crank that nobody reads.
    for (let p = n < bound ? this.nextToRun() : null; p !== null; p = n < bound ? this.nextToRun() : null) {
      this.runCrank(p, this.takeDelivery(p));
      n++;
    }
    return n;
  }

  /** The process the scheduler picks to run next (told to the host's recorder), or null when none is runnable. */
  private nextToRun(): Process | null {
    const p = this.scheduler.next(this.#traceThrottle);
    if (this.hostSink !== null) this.hostSink(p === null ? { kind: 'idle' } : { kind: 'crank' });
    return p;
  }

  /** Takes the message `p` was scheduled for: a waiting caller's answer, or its inbox's first. */
  private takeDelivery(p: Process): Message {
    let message: Message | undefined;
    if (p.status === 'waiting') {
      message = p.answer ?? undefined;
      p.answer = null;
      p.awaiting = null;
      p.status = 'ready';
    } else {
      message = p.inbox.shift();
      if (message?.endpoint) message.endpoint.pending--;
    }
    if (message === undefined) violated(`scheduler chose p${p.id} with nothing to deliver`);
    return message;
  }

  private crankResult(p: Process, message: Message): CrankResult {
    const crank = this.crankCount + 1;
    const fault = this.runCrank(p, message);
    return { crank, pid: p.id, program: p.program, type: message.type, fault };
  }

  /** Runs one crank of `p` on `message`: its fault, or null when it committed. */
  private runCrank(p: Process, message: Message): string | null {
    const crank = ++this.crankCount;
    const cs = this.#crankState;
    cs.begin(p, message.account);
    this.current = cs;
    if (this.trace.enabled) {
      this.record({ crank, ev: 'crank', pid: p.id, program: p.program, msg: message.type, badge: message.badge, from: message.from });
    }
    let ctx = p.syscalls;
    if (ctx === null || ctx.generation !== p.generation) p.syscalls = ctx = new SyscallContext(this, p, cs);
    ctx.reopen();
    let fault: string | null = null;
    let next: PlainData = null;
    try {
      const program = this.program(p);
      if (message.type === 'init') next = program.init(ctx, p.args);
      else next = program.receive(ctx, p.state, this.prepareDelivery(p, message, program.borrowsDelivery === true ? this.#lentDelivery : null));
      // Only an object can be a Promise: most states are not, and isPromise is a call into C++.
      if (typeof next === 'object' && next !== null && types.isPromise(next)) refuseAsync(p.program, message.type === 'init' ? 'init' : 'receive', next);
      freezePlain(next, this.limits.state_bytes_max, this.limits.payload_depth_max);
    } catch (err) {
      // A fault's text reaches the trace and every report: a sturdy reference in it goes without its secret.
      fault = redactTokens(describeThrown(err, `program '${p.program}'`));
    }
    ctx.close();
    this.current = null;
    if (fault === null) this.commit(p, cs, next);
    else this.abort(p, cs, message, fault);
    this.repay(message.account);
    this.scheduler.notify(p);
    return fault;
  }

  /**
   * Places carried capabilities and the reply capability, all journaled; the delivery goes in
   * `lent` when the program borrows deliveries (Program.borrowsDelivery), else in a new object.
   */
  private prepareDelivery(p: Process, m: Message, lent: MutableDelivery | null): Delivery {
    let slots = EMPTY_SLOTS;
    let dropped = 0;
    if (m.caps !== null) {
      const landed: number[] = [];
      for (const cap of m.caps) {
        if (!cap.live) continue;
        if (p.cspace.freeCount() === 0) {
          destroy(this, cap, this.journal);
          dropped++;
          continue;
        }
        const slot = p.cspace.firstFree();
        place(p, slot, cap, this.journal);
        landed.push(slot);
      }
      slots = landed;
    }
    let replySlot: number | null = null;
    // Only a call hands out its reply capability; an answer names its reply object just to match the caller.
    if (m.reply !== null && m.type === 'call') {
      const cap = newRootCap(m.reply, WRITE | GRANT, 0);
      if (p.cspace.freeCount() === 0) {
        this.current?.releaseAtCommit(m.reply);
      } else {
        replySlot = p.cspace.firstFree();
        place(p, replySlot, cap, this.journal);
      }
    }
    const type = m.type === 'init' ? 'send' : m.type;
    if (lent === null) return { type, badge: m.badge, payload: m.payload, caps: slots, dropped, reply: replySlot, error: m.error };
    lent.type = type;
    lent.badge = m.badge;
    lent.payload = m.payload;
    lent.caps = slots;
    lent.dropped = dropped;
    lent.reply = replySlot;
    lent.error = m.error;
    return lent;
  }

  private commit(p: Process, cs: CrankState, next: PlainData): void {
    this.journal.clear();
    p.state = next;
    if (p.status === 'new') p.status = 'ready';
    if (cs.callMade !== null) {
      p.status = 'waiting';
      p.awaiting = cs.callMade;
    }
    for (let i = 0; i < cs.sent; i++) this.enqueue(cs.outbox(i));
    // Most cranks answer no client and drop no reply: iterating the shared empty lists showed in profiles.
    if (cs.hasAftermath) {
      for (const a of cs.hostAnswers) this.hostAnswers.push({ ...a, crank: this.crankCount });
      for (const reply of cs.releases) this.release(reply, 'no_reply');
    }
    if (cs.exitRequested) {
      this.record({ crank: this.crankCount, ev: 'note', pid: p.id, text: 'exits normally' });
      if (this.onExit !== null && this.onExit(this, p)) this.restartProcess(p.id);
      else this.terminate(p.id);
    }
  }

  private abort(p: Process, cs: CrankState, message: Message, fault: string): void {
    this.journal.rollback();
    for (let i = 0; i < cs.sent; i++) {
      const m = cs.outbox(i);
      if (m.endpoint !== null) m.endpoint.pending--;
    }
    for (const o of cs.created) {
      this.objects.delete(o.id);
      o.alive = false;
    }
    // The message is consumed: what it carried is dropped and its caller is released.
    if (message.caps !== null) for (const cap of message.caps) if (cap.live && cap.holder === null) destroy(this, cap, null);
    if (message.reply !== null) this.release(message.reply, 'callee_faulted');
    p.status = 'faulted';
    p.lastFault = fault;
    this.record({ crank: this.crankCount, ev: 'fault', pid: p.id, error: fault });
    if (this.onFault) this.onFault(this, p, fault);
  }

  /** Puts a committed message where it goes: an inbox, or a waiting caller's answer slot. */
  private enqueue(m: Message): void {
    if (m.type === 'reply' || m.type === 'error') {
      const caller = m.target;
      if (caller.awaiting !== m.reply || caller.answer !== null || !caller.alive) {
        this.dropCaps(m);
        return;
      }
      caller.answer = m;
    } else {
      const target = m.target;
      if (!target.alive || target.status === 'exited') {
        if (m.endpoint !== null) m.endpoint.pending--;
        this.dropCaps(m);
        if (m.reply !== null) this.release(m.reply, 'callee_faulted');
        return;
      }
      target.inbox.push(m);
    }
    m.account.debt++;
    this.scheduler.notify(m.target);
  }

  private dropCaps(m: Message): void {
    if (m.caps !== null) for (const cap of m.caps) if (cap.live) destroy(this, cap, null);
  }

  private repay(account: Process): void {
    account.debt--;
    if (account.debt < 0) violated(`account of p${account.id} went negative`);
    if (this.scheduler.repaid(account)) this.record({ crank: this.crankCount, ev: 'unthrottle', pid: account.id, debt: account.debt });
  }

  /** Answers a caller with an error because its reply can no longer come. */
  release(reply: Reply, code: 'no_reply' | 'callee_faulted' | 'callee_restarted'): void {
    if (reply.used) return;
    reply.used = true;
    const caller = reply.caller;
    if (caller === null) {
      this.hostAnswers.push({ reply: reply.id, ok: false, payload: null, error: code, crank: this.crankCount });
      return;
    }
    if (caller.awaiting !== reply || caller.answer !== null) return;
    caller.answer = new Message(++this.messageSeq, 'error', caller, null, 0, null, null, reply, caller, 0, code);
    caller.debt++;
    this.scheduler.notify(caller);
  }

  // ---- CapEnv ----------------------------------------------------------------------------------

  /** Marks a storage object changed; inside a crank the mark is undone if the crank aborts. */
  storageChanged(storage: StorageObject, journal: Journal | null): void {
    if (this.changes.storage.has(storage)) return;
    this.changes.storage.add(storage);
    const changes = this.changes;
    journal?.push(() => {
      changes.storage.delete(storage);
    });
  }

  registrationChanged(p: Process): void {
    if (p.store !== null) this.changes.registrations.add(p);
  }

  destroyed(cap: Cap, journal: Journal | null): void {
    if (cap.holder === null) {
      // An anchor (held by no process) reached by a revoke, or dropped by unsturdy: its token never resolves again.
      const entry = this.sturdy.entryOfAnchor(cap);
      if (entry !== undefined) {
        this.sturdy.markRevoked(entry, journal);
        this.sturdyChanged(entry, journal);
      }
    }
    if (cap.capId !== 0) {
      const capId = cap.capId;
      this.changes.destroyedCapIds.push(capId);
      journal?.push(() => {
        const i = this.changes.destroyedCapIds.lastIndexOf(capId);
        if (i >= 0) this.changes.destroyedCapIds.splice(i, 1);
      });
    }
    const object = cap.object;
    if (object.kind !== 'reply' || object.used) return;
    if (journal !== null && this.current !== null) this.current.releaseAtCommit(object);
    else this.release(object, 'no_reply');
  }

  /** An anchor whose persisted ancestor may have changed: its record is rewritten with the new one. */
  ancestryChanged(cap: Cap): void {
    const entry = this.sturdy.entryOfAnchor(cap);
    // Not journaled: rewriting a record unchanged is harmless, and one whose entry a rollback removed is skipped.
    if (entry !== undefined) this.sturdyChanged(entry, null);
  }

  /** Hands the change set to the commit path and starts a new one. */
  takeChanges(): Changes {
    const changes = this.changes;
    this.changes = { registrations: new Set(), storage: new Set(), destroyedCapIds: [], sturdy: new Set() };
    return changes;
  }

  // ---- lifecycle: restart and terminate ----------------------------------------------------------

  /**
   * Starts a process anew from its command line, as a restart policy does: its unnamed
   * capabilities go, its named ones and its store capability stay, callers it owed a reply are
   * told 'callee_restarted', its queued messages wait for the new incarnation.
   */
  restartProcess(pid: ObjectId): CrankResult {
    const p = this.process(pid);
    if (p.status === 'exited') throw new KernelUsageError(`process ${pid} has exited`);
    this.dropUnnamed(p, 'callee_restarted');
    this.dropOwnCall(p);
    p.state = null;
    p.status = 'new';
    p.generation++;
    p.lastFault = null;
    this.scheduler.remove(p);
    this.record({ crank: this.crankCount, ev: 'restart', pid: p.id, program: p.program });
    return this.start(pid);
  }

  /** Ends a process for good: everything it held is reclaimed, its callers answered with errors. */
  terminate(pid: ObjectId): void {
    const p = this.process(pid);
    if (p.status === 'exited') return;
    this.scheduler.remove(p);
    const queued = p.inbox.drain();
    for (const m of queued) {
      if (m.endpoint !== null) m.endpoint.pending--;
      this.dropCaps(m);
      if (m.reply !== null) this.release(m.reply, 'callee_faulted');
      this.repay(m.account);
    }
    if (queued.length > 0) this.record({ crank: this.crankCount, ev: 'drop', pid: p.id, reason: 'process exited', count: queued.length });
    this.dropOwnCall(p);
    for (const [, cap] of [...p.cspace.entries()]) {
      if (cap.object.kind === 'reply') this.release(cap.object, 'callee_faulted');
      destroy(this, cap, null);
    }
    for (const o of this.objects.values()) {
      if ((o.kind === 'endpoint' || o.kind === 'store') && o.owner === p) o.alive = false;
    }
    p.status = 'exited';
    p.alive = false;
    this.changes.registrations.add(p);
    this.record({ crank: this.crankCount, ev: 'exit', pid: p.id, program: p.program });
  }

  private dropUnnamed(p: Process, code: 'callee_restarted'): void {
    for (const [slot, cap] of [...p.cspace.entries()]) {
      // The process's own store capability stays, in whatever slot the program moved it to.
      if (cap.object.kind === 'store' && cap.object.owner === p) continue;
      if (cap.name !== null) continue;
      if (cap.object.kind === 'reply') this.release(cap.object, code);
      destroy(this, cap, null);
    }
  }

  private dropOwnCall(p: Process): void {
    if (p.answer !== null) {
      this.dropCaps(p.answer);
      this.repay(p.answer.account);
      p.answer = null;
    }
    p.awaiting = null;
  }

  /** Hot paths test trace.enabled first, so that no event object is built when tracing is off. */
  record(event: Parameters<Trace['record']>[0]): void {
    if (this.trace.enabled) this.trace.record(event);
  }
}

/**
 * A handler that returned a Promise (an async function, say) faults: a crank ends when its
 * handler returns. The Promise is marked handled, so that its rejection, if it comes, is no
 * unhandled rejection of capsim's.
 */
function refuseAsync(program: string, handler: string, promise: Promise<unknown>): never {
  try {
    Reflect.apply(Promise.prototype.then, promise, [undefined, () => undefined]);
  } catch {
    // A promise of another realm whose species getter throws: nothing more can be done for it.
  }
  throw new KernelError('async_handler', `program '${program}': ${handler} returned a Promise; a handler returns its next state synchronously`);
}
