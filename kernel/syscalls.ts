/**
 * The syscalls a program reaches through `ctx`. Each one is split as seL4's are: a decode part
 * that checks every argument and right and throws a typed KernelError while changing nothing,
 * then an invoke part that changes and cannot fail. Invoke changes are journaled, so a crank
 * that throws later still leaves no trace of them.
 *
 * A ctx is made for one crank and closed after it: a program that keeps it and calls it later
 * (as another process, say) gets 'not_in_crank'.
 */
import { newRootCap, type Cap } from './caps/capability.ts';
import { derive, destroy, moveSlot, place, revoke, setName } from './caps/cap-ops.ts';
import { ALL_RIGHTS, GRANT, isDiminished, READ, RIGHTS_MASK, usable, WEAK, weaken, WRITE, formatRights } from './caps/rights.ts';
import { KernelError } from './errors.ts';
import { Message } from './ipc/message.ts';
import type { CrankState, Kernel } from './kernel.ts';
import { Endpoint } from './objects/endpoint.ts';
import type { Process } from './objects/process.ts';
import { Reply } from './objects/reply.ts';
import { StorageObject } from './objects/storage-object.ts';
import { freezePlain, type PlainData } from './plain-data.ts';
import { STORE_SLOT, type CapInfo, type Ctx } from './program.ts';
import { makeSturdy, restoreSturdy, unsturdy } from './sturdy/calls.ts';
import { redactTokens } from './sturdy/token.ts';

const LOG_TEXT_MAX = 1024;

export class SyscallContext implements Ctx {
  #self: Ctx['self'] | null = null;
  private open = false;
  /** The incarnation this ctx acts for: a restarted process gets a new ctx. */
  readonly generation: number;

  /**
   * One ctx per process incarnation, opened for each of its cranks and closed after: kept past
   * its crank, it reaches nothing until its own process runs again (then it acts for that crank,
   * as the fresh one would), and never acts in another process's crank. Made once rather than
   * per crank, since a crank's allocations are most of its cost.
   */
  constructor(
    private readonly k: Kernel,
    private readonly p: Process,
    private readonly cs: CrankState,
  ) {
    this.generation = p.generation;
  }

  /** Opens this ctx for a crank of its process. */
  reopen(): void {
    this.open = true;
  }

  /** Made when first read (few programs read it) and kept for the incarnation, frozen: nothing in it changes. */
  get self(): Ctx['self'] {
    return (this.#self ??= Object.freeze({ program: this.p.program, args: this.p.args, generation: this.generation }));
  }

  close(): void {
    this.open = false;
  }

  /** The kernel this ctx acts in: for a host-side wrapper of the program (confinement), never for the program. */
  get kernel(): Kernel {
    return this.k;
  }

  /** The process this ctx acts for. */
  get process(): Process {
    return this.p;
  }

  // ---- IPC -----------------------------------------------------------------------------------

  send(slot: number, payload: PlainData, caps?: readonly number[]): void {
    try {
      this.enter();
      const cap = this.p.cspace.lookup(slot);
      const endpoint = this.endpointOf(cap, WRITE, 'send');
      this.checkSendRoom(endpoint);
      freezePlain(payload, this.k.limits.payload_bytes_max, this.k.limits.payload_depth_max);
      const sources = this.transferSources(cap, caps);
      // invoke
      this.enqueue('send', cap, endpoint, payload, sources, null);
    } catch (err) {
      throw this.failed('send', err);
    }
  }

  call(slot: number, payload: PlainData, caps?: readonly number[]): void {
    try {
      this.enter();
      const cap = this.p.cspace.lookup(slot);
      // A call asks; READ suffices, so that a weak (read-only) capability can still ask questions.
      const endpoint = this.endpointOf(cap, READ, 'call');
      if (this.p.awaiting !== null || this.cs.callMade !== null) throw new KernelError('call_pending', 'this process already waits on a call');
      this.checkSendRoom(endpoint);
      this.checkObjectRoom();
      freezePlain(payload, this.k.limits.payload_bytes_max, this.k.limits.payload_depth_max);
      const sources = this.transferSources(cap, caps);
      // invoke
      const reply = this.k.adopt(new Reply(this.k.newId(), this.p, (cap.rights & WEAK) !== 0));
      this.cs.callMade = reply;
      this.enqueue('call', cap, endpoint, payload, sources, reply);
    } catch (err) {
      throw this.failed('call', err);
    }
  }

  reply(replySlot: number, payload: PlainData, caps?: readonly number[]): void {
    try {
      this.enter();
      const cap = this.p.cspace.lookup(replySlot);
      const reply = cap.object;
      if (reply.kind !== 'reply') throw new KernelError('wrong_kind', `slot ${replySlot} holds a ${reply.kind} capability, not a reply`);
      if (reply.used) throw new KernelError('reply_used', `the reply in slot ${replySlot} was answered already`);
      if (this.cs.sent >= this.k.limits.sends_per_crank_max) throw new KernelError('too_many_sends', `limit ${this.k.limits.sends_per_crank_max} per crank`);
      freezePlain(payload, this.k.limits.payload_bytes_max, this.k.limits.payload_depth_max);
      const sources = this.transferSources(cap, caps);
      // invoke
      reply.used = true;
      this.k.journal.push(() => {
        reply.used = false;
      });
      destroy(this.k, cap, this.k.journal);
      const caller = reply.caller;
      if (caller === null) {
        // A client outside the machine gets data only: capabilities never leave the kernel.
        this.cs.answerHost({ reply: reply.id, ok: true, payload, error: null });
      } else {
        const carried = this.carry(sources, reply.weak);
        this.cs.post(new Message(++this.k.messageSeq, 'reply', caller, null, 0, payload, carried, reply, this.cs.account, this.p.id, null));
      }
      if (this.k.trace.enabled) this.k.record({ crank: this.k.crankCount, ev: 'reply', pid: this.p.id, to: caller?.id ?? 0, endpoint: 0, badge: 0, caps: caller === null ? 0 : (sources?.length ?? 0) });
    } catch (err) {
      throw this.failed('reply', err);
    }
  }

  // ---- capabilities -----------------------------------------------------------------------------

  copy(slot: number, to?: number): number {
    try {
      this.enter();
      const source = this.copyable(slot);
      const dest = this.destination(to);
      return this.deriveInto(source, source.rights, source.badge, dest, 'copy', slot);
    } catch (err) {
      throw this.failed('copy', err);
    }
  }

  mint(slot: number, rights: number, badge?: number, to?: number): number {
    try {
      this.enter();
      const source = this.copyable(slot);
      if (typeof rights !== 'number' || !Number.isInteger(rights) || (rights & ~RIGHTS_MASK) !== 0) {
        throw new KernelError('invalid_argument', `rights ${String(rights)} is not a rights mask`);
      }
      if (!isDiminished(source.rights, rights)) {
        throw new KernelError('rights_amplification', `${formatRights(rights)} is more than the source's ${formatRights(source.rights)}`);
      }
      let newBadge = source.badge;
      if (badge !== undefined) {
        if (typeof badge !== 'number' || !Number.isSafeInteger(badge) || badge < 0) throw new KernelError('invalid_argument', `badge ${String(badge)} is not a non-negative integer`);
        if (source.badge !== 0 && badge !== source.badge) throw new KernelError('badge_already_set', `the source carries badge ${source.badge}`);
        newBadge = badge;
      }
      const dest = this.destination(to);
      return this.deriveInto(source, rights, newBadge, dest, 'mint', slot);
    } catch (err) {
      throw this.failed('mint', err);
    }
  }

  move(slot: number, to: number): void {
    try {
      this.enter();
      const cap = this.p.cspace.lookup(slot);
      const dest = this.p.cspace.checkFree(to);
      moveSlot(this.p, slot, dest, this.k.journal);
      this.traceCap('move', slot, dest, cap);
    } catch (err) {
      throw this.failed('move', err);
    }
  }

  delete(slot: number): void {
    try {
      this.enter();
      const cap = this.p.cspace.lookup(slot);
      destroy(this.k, cap, this.k.journal);
      this.traceCap('delete', slot, -1, cap);
    } catch (err) {
      throw this.failed('delete', err);
    }
  }

  revoke(slot: number): number {
    try {
      this.enter();
      const cap = this.p.cspace.lookup(slot);
      const removed = revoke(this.k, cap, this.k.limits.revoke_visits_max, this.k.journal);
      if (removed === null) throw new KernelError('object_limit', `more than ${this.k.limits.revoke_visits_max} derived capabilities`);
      if (this.k.trace.enabled) this.k.record({ crank: this.k.crankCount, ev: 'revoke', pid: this.p.id, slot, removed });
      return removed;
    } catch (err) {
      throw this.failed('revoke', err);
    }
  }

  identify(slot: number): CapInfo | null {
    try {
      this.enter();
      if (typeof slot === 'number' && Number.isInteger(slot) && slot >= 0 && slot < this.k.limits.slots_max && !this.p.cspace.slots[slot]) return null;
      const cap = this.p.cspace.lookup(slot);
      return Object.freeze({ kind: cap.object.kind, rights: cap.rights, badge: cap.badge });
    } catch (err) {
      throw this.failed('identify', err);
    }
  }

  compare(slotA: number, slotB: number): boolean {
    try {
      this.enter();
      return this.p.cspace.lookup(slotA).object === this.p.cspace.lookup(slotB).object;
    } catch (err) {
      throw this.failed('compare', err);
    }
  }

  slots(): number[] {
    this.enter();
    return [...this.p.cspace.entries()].map(([slot]) => slot);
  }

  // ---- objects -------------------------------------------------------------------------------------

  createEndpoint(): number {
    try {
      this.enter();
      const dest = this.p.cspace.firstFree();
      this.checkObjectRoom();
      const endpoint = this.k.adopt(new Endpoint(this.k.newId(), this.p));
      place(this.p, dest, newRootCap(endpoint, ALL_RIGHTS, 0), this.k.journal);
      return dest;
    } catch (err) {
      throw this.failed('createEndpoint', err);
    }
  }

  createStorage(data: PlainData): number {
    try {
      this.enter();
      const dest = this.p.cspace.firstFree();
      this.checkObjectRoom();
      freezePlain(data, this.k.limits.payload_bytes_max, this.k.limits.payload_depth_max);
      const storage = this.k.adopt(new StorageObject(this.k.newId(), data, 1));
      this.k.storageChanged(storage, this.k.journal);
      place(this.p, dest, newRootCap(storage, ALL_RIGHTS, 0), this.k.journal);
      return dest;
    } catch (err) {
      throw this.failed('createStorage', err);
    }
  }

  read(slot: number): PlainData {
    try {
      this.enter();
      return this.storageOf(slot, READ).data;
    } catch (err) {
      throw this.failed('read', err);
    }
  }

  write(slot: number, data: PlainData): void {
    try {
      this.enter();
      const storage = this.storageOf(slot, WRITE);
      freezePlain(data, this.k.limits.payload_bytes_max, this.k.limits.payload_depth_max);
      const { data: oldData, version: oldVersion } = storage;
      storage.data = data;
      storage.version++;
      this.k.journal.push(() => {
        storage.data = oldData;
        storage.version = oldVersion;
      });
      this.k.storageChanged(storage, this.k.journal);
    } catch (err) {
      throw this.failed('write', err);
    }
  }

  // ---- the store capability: the named capability set ----------------------------------------------

  register(storeSlot: number, name: string, slot: number): void {
    try {
      this.enter();
      this.ownStore(storeSlot, WRITE);
      this.checkName(name);
      const cap = this.p.cspace.lookup(slot);
      if (cap.object.kind === 'reply') throw new KernelError('not_copyable', 'a reply capability is one-shot and cannot be registered');
      if (cap.object.kind === 'store') throw new KernelError('wrong_kind', `the store capability always returns to slot ${STORE_SLOT} and takes no name`);
      if (!this.p.named.has(name) && cap.name === null && this.p.named.size >= this.k.limits.names_max) {
        throw new KernelError('too_many_names', `limit ${this.k.limits.names_max}`);
      }
      setName(this.k, this.p, name, cap, this.k.journal);
    } catch (err) {
      throw this.failed('register', err);
    }
  }

  unregister(storeSlot: number, name: string): void {
    try {
      this.enter();
      this.ownStore(storeSlot, WRITE);
      if (typeof name !== 'string' || !this.p.named.has(name)) throw new KernelError('unknown_name', `no capability is named '${String(name)}'`);
      setName(this.k, this.p, name, null, this.k.journal);
    } catch (err) {
      throw this.failed('unregister', err);
    }
  }

  names(storeSlot: number): string[] {
    try {
      this.enter();
      this.ownStore(storeSlot, READ);
      return [...this.p.named.keys()].sort();
    } catch (err) {
      throw this.failed('names', err);
    }
  }

  lookup(name: string): number | null {
    this.enter();
    if (typeof name !== 'string') throw this.failed('lookup', new KernelError('invalid_argument', 'a name is a string'));
    return this.p.named.get(name)?.slot ?? null;
  }

  // ---- sturdy references (kernel/sturdy/calls.ts) ---------------------------------------------------

  sturdy(slot: number): string {
    try {
      this.enter();
      return makeSturdy(this.k, this.p, slot);
    } catch (err) {
      throw this.failed('sturdy', err);
    }
  }

  restore(gatekeeperSlot: number, token: string): number {
    try {
      this.enter();
      return restoreSturdy(this.k, this.p, gatekeeperSlot, token);
    } catch (err) {
      throw this.failed('restore', err);
    }
  }

  unsturdy(token: string): void {
    try {
      this.enter();
      unsturdy(this.k, this.p, token);
    } catch (err) {
      throw this.failed('unsturdy', err);
    }
  }

  log(text: string): void {
    this.enter();
    // Free text is where a program could put a sturdy reference: its secret never reaches the trace.
    if (this.k.trace.enabled) this.k.record({ crank: this.k.crankCount, ev: 'note', pid: this.p.id, text: redactTokens(String(text).slice(0, LOG_TEXT_MAX)) });
  }

  exit(): void {
    this.enter();
    this.cs.exitRequested = true;
  }

  // ---- decode helpers: each checks and throws, none changes anything ------------------------------------

  private enter(): void {
    if (!this.open) throw new KernelError('not_in_crank', 'this ctx belonged to a crank that has ended');
  }

  private endpointOf(cap: Cap, needed: number, op: string): Endpoint {
    const endpoint = cap.object;
    if (endpoint.kind !== 'endpoint') throw new KernelError('wrong_kind', `cannot ${op} through a ${endpoint.kind} capability`);
    if ((usable(cap.rights) & needed) === 0) throw new KernelError('insufficient_rights', `${op} needs ${formatRights(needed)}, the capability has ${formatRights(cap.rights)}`);
    if (!endpoint.alive || !endpoint.owner.alive) throw new KernelError('revoked', `the endpoint's process is gone`);
    return endpoint;
  }

  private checkSendRoom(endpoint: Endpoint): void {
    if (this.cs.sent >= this.k.limits.sends_per_crank_max) throw new KernelError('too_many_sends', `limit ${this.k.limits.sends_per_crank_max} per crank`);
    if (endpoint.pending >= this.k.limits.queue_length_max) throw new KernelError('queue_full', `the endpoint holds ${endpoint.pending} messages`);
  }

  private checkObjectRoom(): void {
    if (this.k.objects.size >= this.k.limits.objects_max) throw new KernelError('object_limit', `limit ${this.k.limits.objects_max} objects`);
  }

  /** Checks the capabilities a message is to carry; returns them, or null for none. */
  private transferSources(via: Cap, slots: readonly number[] | undefined): Cap[] | null {
    if (slots === undefined) return null;
    if (!Array.isArray(slots)) throw new KernelError('invalid_argument', 'caps must be an array of slot numbers');
    if (slots.length === 0) return null;
    if ((usable(via.rights) & GRANT) === 0) throw new KernelError('insufficient_rights', 'carrying capabilities needs grant on the capability used');
    if (slots.length > this.k.limits.caps_per_message_max) throw new KernelError('too_many_caps', `limit ${this.k.limits.caps_per_message_max} per message`);
    const sources: Cap[] = [];
    for (const slot of slots) {
      const cap = this.p.cspace.lookup(slot);
      if (cap.object.kind === 'reply') throw new KernelError('not_copyable', `slot ${slot} holds a reply capability`);
      sources.push(cap);
    }
    return sources;
  }

  private copyable(slot: number): Cap {
    const cap = this.p.cspace.lookup(slot);
    if (cap.object.kind === 'reply') throw new KernelError('not_copyable', `slot ${slot} holds a one-shot reply capability`);
    return cap;
  }

  private destination(to: number | undefined): number {
    return to === undefined ? this.p.cspace.firstFree() : this.p.cspace.checkFree(to);
  }

  private storageOf(slot: number, needed: number): StorageObject {
    const cap = this.p.cspace.lookup(slot);
    const storage = cap.object;
    if (storage.kind !== 'storage') throw new KernelError('wrong_kind', `slot ${slot} holds a ${storage.kind} capability, not storage`);
    if ((usable(cap.rights) & needed) !== needed) throw new KernelError('insufficient_rights', `needs ${formatRights(needed)}, has ${formatRights(cap.rights)}`);
    if (!storage.alive) throw new KernelError('revoked', 'the storage object is gone');
    return storage;
  }

  private ownStore(slot: number, needed: number): void {
    const cap = this.p.cspace.lookup(slot);
    const store = cap.object;
    if (store.kind !== 'store') throw new KernelError('wrong_kind', `slot ${slot} holds a ${store.kind} capability, not the store`);
    if (store.owner !== this.p) throw new KernelError('not_own_store', "a store capability reaches only its own process's record");
    if ((usable(cap.rights) & needed) !== needed) throw new KernelError('insufficient_rights', `needs ${formatRights(needed)}, has ${formatRights(cap.rights)}`);
  }

  private checkName(name: string): void {
    if (typeof name !== 'string' || name.length === 0 || name.length > this.k.limits.name_length_max) {
      throw new KernelError('name_invalid', `a name is 1 to ${this.k.limits.name_length_max} characters`);
    }
  }

  // ---- invoke helpers ------------------------------------------------------------------------------

  /** The invoke half of send and call: count the message against the queue bound, outbox it, trace it. */
  private enqueue(type: 'send' | 'call', via: Cap, endpoint: Endpoint, payload: PlainData, sources: Cap[] | null, reply: Reply | null): void {
    endpoint.pending++;
    const carried = this.carry(sources, false);
    this.cs.post(new Message(++this.k.messageSeq, type, endpoint.owner, endpoint, via.badge, payload, carried, reply, this.cs.account, this.p.id, null));
    if (this.k.trace.enabled) this.k.record({ crank: this.k.crankCount, ev: type, pid: this.p.id, to: endpoint.owner.id, endpoint: endpoint.id, badge: via.badge, caps: sources?.length ?? 0 });
  }

  private carry(sources: Cap[] | null, weakened: boolean): Cap[] | null {
    if (sources === null) return null;
    return sources.map((source, i) => {
      const child = derive(source, weakened ? weaken(source.rights) : source.rights, source.badge, this.k.journal);
      child.slot = i;
      return child;
    });
  }

  private deriveInto(source: Cap, rights: number, badge: number, dest: number, op: string, from: number): number {
    const child = derive(source, rights, badge, this.k.journal);
    place(this.p, dest, child, this.k.journal);
    this.traceCap(op, from, dest, child);
    return dest;
  }

  private traceCap(op: string, slot: number, to: number, cap: Cap): void {
    if (this.k.trace.enabled) this.k.record({ crank: this.k.crankCount, ev: 'cap', pid: this.p.id, op, slot, to, rights: formatRights(cap.rights), badge: cap.badge });
  }

  private failed(syscall: string, err: unknown): unknown {
    if (err instanceof KernelError && this.k.trace.enabled) {
      this.k.record({ crank: this.k.crankCount, ev: 'error', pid: this.p.id, syscall, code: err.code });
    }
    return err;
  }
}
