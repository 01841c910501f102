/**
 * A random world for property tests: N processes, each with a control endpoint through which the
 * host hands it random syscalls (support/ops.ts), a storage object, and a capability to every
 * control endpoint with the rights the spec drew. Beside the kernel it keeps a model of the
 * authority each process was granted (by host wiring, by creation, by transfer), and it checks
 * the kernel's bookkeeping after every step.
 */
import {
  ALL_RIGHTS,
  GRANT,
  KernelError,
  KernelUsageError,
  READ,
  WEAK,
  WRITE,
  exportState,
  type Capability,
  type Ctx,
  type Delivery,
  type Kernel,
  type Limits,
  type ObjectId,
  type PlainData,
  type ScheduleMode,
} from '../../../kernel/index.ts';
import type { Message } from '../../../kernel/ipc/message.ts';
import { Lab } from './lab.ts';
import type { Arg, Op, Step, WorldSpec } from './ops.ts';

const AUTHORITY = READ | WRITE | GRANT;

/** The model's own weakening, written apart from the kernel's. */
function weakened(rights: number): number {
  return (rights & READ) | WEAK;
}

interface Granted {
  authority: number;
  /** Ever granted without WEAK. */
  strong: boolean;
}

export class AuthorityModel {
  private readonly granted = new Map<ObjectId, Map<ObjectId, Granted>>();
  readonly weakCalls = new Map<ObjectId, boolean>();

  grant(pid: ObjectId, object: ObjectId, rights: number): void {
    let perObject = this.granted.get(pid);
    if (perObject === undefined) {
      perObject = new Map();
      this.granted.set(pid, perObject);
    }
    const g = perObject.get(object) ?? { authority: 0, strong: false };
    g.authority |= rights & AUTHORITY;
    g.strong ||= (rights & WEAK) === 0;
    perObject.set(object, g);
  }

  /** Violations: a held capability with rights beyond what was granted, or strong where only weak was. */
  check(pid: ObjectId, cap: Capability, where: string): string[] {
    const g = this.granted.get(pid)?.get(cap.object.id);
    if (g === undefined) return [`p${pid} ${where} holds object ${cap.object.id} (${cap.object.kind}) it was never granted`];
    const out: string[] = [];
    if ((cap.rights & AUTHORITY & ~g.authority) !== 0) out.push(`p${pid} ${where} holds rights ${cap.rights} to ${cap.object.id}, granted only ${g.authority}`);
    if (!g.strong && (cap.rights & WEAK) === 0) out.push(`p${pid} ${where} holds a strong capability to ${cap.object.id}, granted only weak ones`);
    return out;
  }
}

export interface WorldOptions {
  schedule?: ScheduleMode;
  seed?: number;
  limits?: Partial<Limits>;
}

export class World {
  readonly lab: Lab;
  readonly pids: ObjectId[] = [];
  readonly control: ObjectId[] = [];
  readonly model = new AuthorityModel();
  /** Anything a syscall threw that was not a KernelError: a kernel crash. */
  readonly crashes: string[] = [];
  readonly codes = new Map<string, number>();
  private readonly knownObjects = new Set<ObjectId>();
  /** False once the world runs a kernel the model did not watch from the start (an imported one). */
  private modelled = true;

  constructor(spec: WorldSpec, options: WorldOptions = {}) {
    this.lab = new Lab({ ...options, limits: { slots_max: 64, queue_length_max: 16, account_debt_max: 8, ...options.limits } });
    const k = this.lab.kernel;
    const n = spec.persistent.length;
    const controlSlots: number[] = [];
    for (let i = 0; i < n; i++) {
      const pid = this.lab.spawn(`p${i}`, { receive: (ctx, m, state) => this.receive(ctx, pid, m, state) }, { persistent: spec.persistent[i] ?? false });
      this.pids.push(pid);
      if (spec.persistent[i]) this.model.grant(pid, k.process(pid).cspace.lookup(0).object.id, READ | WRITE);
      const e = k.createEndpoint(pid);
      this.control.push(e.id);
      controlSlots.push(e.slot);
      this.model.grant(pid, e.id, ALL_RIGHTS);
      const s = k.createStorage(pid, { owner: i });
      this.model.grant(pid, s.id, ALL_RIGHTS);
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const link = spec.links[i]?.[j] ?? { rights: ALL_RIGHTS, badge: 0 };
        k.grant(this.pids[j] as ObjectId, controlSlots[j] as number, this.pids[i] as ObjectId, { rights: link.rights, badge: link.badge });
        this.model.grant(this.pids[i] as ObjectId, this.control[j] as ObjectId, link.rights);
      }
    }
    for (const o of k.objects.keys()) this.knownObjects.add(o);
    k.startAll();
  }

  get kernel(): Kernel {
    return this.lab.kernel;
  }

  /** Runs these behaviours on another kernel (say, one imported from this world's state); the model stops. */
  adopt(kernel: Kernel): void {
    this.lab.kernel = kernel;
    this.modelled = false;
  }

  /** Runs one host step; host-side refusals (a full queue, an exited process) are part of the game. */
  apply(step: Step): void {
    const k = this.kernel;
    const pid = 'who' in step ? (this.pids[step.who % this.pids.length] as ObjectId) : 0;
    switch (step.kind) {
      case 'ops':
        try {
          k.inject(this.control[step.who % this.control.length] as ObjectId, { ops: step.ops as unknown as PlainData });
        } catch (err) {
          if (!(err instanceof KernelError)) throw err;
        }
        k.run(step.cranks);
        return;
      case 'run':
        k.run(step.cranks);
        return;
      case 'restart':
        if (k.process(pid).status !== 'exited') k.restartProcess(pid);
        return;
      case 'terminate':
        k.terminate(pid);
        return;
    }
  }

  private receive(ctx: Ctx, pid: ObjectId, m: Delivery, state: PlainData): PlainData {
    const payload = m.payload as { ops?: Op[]; answer?: string } | null;
    if (payload !== null && typeof payload === 'object' && Array.isArray(payload.ops)) {
      for (const op of payload.ops) this.exec(ctx, pid, op);
      return state;
    }
    if (m.type === 'call' && m.reply !== null) {
      const answer = payload !== null && typeof payload === 'object' ? payload.answer : undefined;
      if (answer === 'throw') throw new Error('callee throws');
      if (answer === 'now') this.exec(ctx, pid, { op: 'reply', slot: m.reply, caps: m.caps.length > 0 ? [m.caps[0] as number] : null });
      if (answer === 'delete') this.exec(ctx, pid, { op: 'delete', slot: m.reply });
    }
    return state;
  }

  /** The capability in a slot, if the argument names one (kernel internals, for the model only). */
  private peek(pid: ObjectId, slot: Arg): Capability | null {
    if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 0) return null;
    return this.kernel.process(pid).cspace.slots[slot] ?? null;
  }

  private exec(ctx: Ctx, pid: ObjectId, op: Op): void {
    if (op.op === 'throw') throw new Error('op throws');
    try {
      this.invoke(ctx, pid, op);
    } catch (err) {
      if (err instanceof KernelError) this.codes.set(err.code, (this.codes.get(err.code) ?? 0) + 1);
      else this.crashes.push(`${op.op}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    }
  }

  private invoke(ctx: Ctx, pid: ObjectId, op: Exclude<Op, { op: 'throw' }>): void {
    const n = (a: Arg): number => a as number;
    const s = (a: Arg): string => a as string;
    const opt = (a: Arg): number | undefined => (a === null ? undefined : (a as number));
    const caps = (list: Arg[] | null): number[] | undefined => (list === null ? undefined : (list as number[]));
    switch (op.op) {
      case 'send':
      case 'call': {
        const via = this.peek(pid, op.slot);
        const sources = (op.caps ?? []).map((c) => this.peek(pid, c));
        if (op.op === 'send') ctx.send(n(op.slot), op.payload, caps(op.caps));
        else ctx.call(n(op.slot), { answer: op.answer }, caps(op.caps));
        if (!this.modelled) return;
        const endpoint = via?.object;
        if (endpoint?.kind !== 'endpoint') throw new Error(`${op.op} succeeded through a ${endpoint?.kind ?? 'missing'} capability`);
        for (const src of sources) if (src !== null) this.model.grant(endpoint.owner.id, src.object.id, src.rights);
        if (op.op === 'call') {
          const reply = this.kernel.current?.callMade;
          if (!reply) throw new Error('call succeeded without a reply object');
          this.model.grant(endpoint.owner.id, reply.id, WRITE | GRANT);
          this.model.weakCalls.set(reply.id, ((via?.rights ?? 0) & WEAK) !== 0);
        }
        return;
      }
      case 'reply': {
        const via = this.peek(pid, op.slot);
        const sources = (op.caps ?? []).map((c) => this.peek(pid, c));
        ctx.reply(n(op.slot), 'answer', caps(op.caps));
        if (!this.modelled) return;
        const reply = via?.object;
        if (reply?.kind !== 'reply') throw new Error('reply succeeded through a non-reply capability');
        const weak = this.model.weakCalls.get(reply.id);
        if (weak === undefined) throw new Error(`reply ${reply.id} answers no call the model saw`);
        for (const src of sources) if (src !== null) this.model.grant(reply.caller?.id ?? 0, src.object.id, weak ? weakened(src.rights) : src.rights);
        return;
      }
      case 'copy':
        ctx.copy(n(op.slot), opt(op.to));
        return;
      case 'mint':
        ctx.mint(n(op.slot), n(op.rights), opt(op.badge), opt(op.to));
        return;
      case 'move':
        ctx.move(n(op.slot), n(op.to));
        return;
      case 'delete':
        ctx.delete(n(op.slot));
        return;
      case 'revoke':
        ctx.revoke(n(op.slot));
        return;
      case 'identify':
        ctx.identify(n(op.slot));
        return;
      case 'compare':
        ctx.compare(n(op.slot), n(op.other));
        return;
      case 'createEndpoint':
      case 'createStorage': {
        const slot = op.op === 'createEndpoint' ? ctx.createEndpoint() : ctx.createStorage(op.data);
        if (!this.modelled) return;
        const made = this.peek(pid, slot);
        if (made === null) throw new Error('created into an empty slot');
        if (this.knownObjects.has(made.object.id)) throw new Error(`object id ${made.object.id} reused`);
        this.knownObjects.add(made.object.id);
        this.model.grant(pid, made.object.id, ALL_RIGHTS);
        return;
      }
      case 'read':
        ctx.read(n(op.slot));
        return;
      case 'write':
        ctx.write(n(op.slot), op.data);
        return;
      case 'register':
        ctx.register(n(op.store), s(op.name), n(op.slot));
        return;
      case 'unregister':
        ctx.unregister(n(op.store), s(op.name));
        return;
      case 'names':
        ctx.names(n(op.store));
        return;
      case 'lookup':
        ctx.lookup(s(op.name));
        return;
    }
  }

  /** Capabilities each process holds, in its c-list and in messages queued for it. */
  *held(): IterableIterator<{ pid: ObjectId; cap: Capability; where: string }> {
    for (const p of this.kernel.processes()) {
      for (const [slot, cap] of p.cspace.entries()) yield { pid: p.id, cap, where: `slot ${slot}` };
      for (const m of queued(p)) for (const cap of m.caps ?? []) if (cap.live) yield { pid: p.id, cap, where: `message ${m.seq}` };
    }
  }

  /** Authority violations against the model. */
  amplification(): string[] {
    const out: string[] = [];
    for (const { pid, cap, where } of this.held()) out.push(...this.model.check(pid, cap, where));
    return out;
  }

  /** The kernel's bookkeeping, checked from outside: slots, tree links, queue bounds, accounts, statuses. */
  bookkeeping(): string[] {
    const k = this.kernel;
    const out: string[] = [...this.crashes];
    const debts = new Map<ObjectId, number>();
    const pending = new Map<ObjectId, number>();
    for (const p of k.processes()) {
      for (const [slot, cap] of p.cspace.entries()) {
        if (!cap.live || cap.holder !== p || cap.slot !== slot) out.push(`p${p.id} slot ${slot}: holder/slot/live out of step`);
        if (k.objects.get(cap.object.id) !== cap.object) out.push(`p${p.id} slot ${slot}: object ${cap.object.id} not in the table`);
      }
      for (const m of queued(p)) {
        debts.set(m.account.id, (debts.get(m.account.id) ?? 0) + 1);
        if (m.endpoint !== null && m !== p.answer) pending.set(m.endpoint.id, (pending.get(m.endpoint.id) ?? 0) + 1);
      }
      if (p.status === 'waiting' && p.awaiting === null) out.push(`p${p.id} waits on nothing`);
      if (p.answer !== null && p.status !== 'waiting') out.push(`p${p.id} has an answer but is ${p.status}`);
    }
    for (const { pid, cap } of this.held()) {
      if (cap.parent !== null) {
        let found = false;
        for (let c = cap.parent.firstChild; c !== null; c = c.nextSibling) if (c === cap) found = true;
        if (!found || !cap.parent.live) out.push(`p${pid}: a capability's parent does not list it, or is dead`);
      }
    }
    for (const p of k.processes()) {
      const expected = debts.get(p.id) ?? 0;
      if (p.debt !== expected) out.push(`p${p.id} owes ${p.debt}, but ${expected} queued messages are charged to it`);
    }
    for (const o of k.objects.values()) {
      if (o.kind !== 'endpoint') continue;
      if (o.pending > k.limits.queue_length_max) out.push(`endpoint ${o.id} holds ${o.pending} > ${k.limits.queue_length_max}`);
      if (o.pending !== (pending.get(o.id) ?? 0)) out.push(`endpoint ${o.id} counts ${o.pending} pending, ${pending.get(o.id) ?? 0} are queued`);
    }
    try {
      JSON.stringify(exportState(k));
    } catch (err) {
      out.push(`exportState failed: ${String(err)}`);
    }
    return out;
  }
}

function queued(p: { inbox: { toArray(): Message[] }; answer: Message | null }): Message[] {
  const list = p.inbox.toArray();
  if (p.answer !== null) list.push(p.answer);
  return list;
}

/** Host errors other than typed kernel errors and usage errors are kernel crashes. */
export function isHostRefusal(err: unknown): boolean {
  return err instanceof KernelError || err instanceof KernelUsageError;
}
