/**
 * A user's module, confined: compiled once into a realm, instantiated afresh for every process
 * that runs one of its programs (and again when that process restarts), so module-level state
 * belongs to one process incarnation and is never seen by another. The programs the kernel
 * calls are host-side wrappers (ConfinedProgram) that, for every crank:
 *   1. find or make the process's instance (its module code runs inside that crank's budget);
 *   2. set the budget, point the clock and Math.random at this crank, hand the program the
 *      module's realm ctx (whose syscalls reach this crank's real one while it runs, and nothing
 *      after) and its inputs copied into the realm;
 *   3. judge the outcome: budget spent → crank_budget_exceeded; a Promise → async_handler;
 *      anything thrown → a fault with a readable description. A failure of the kernel itself
 *      during a syscall is rethrown as the bug it is.
 */
import { KernelError } from '../errors.ts';
import type { ObjectId } from '../ids.ts';
import type { Kernel } from '../kernel.ts';
import type { Process } from '../objects/process.ts';
import { admitPlainPrototypes, type PlainData } from '../plain-data.ts';
import type { Ctx, Delivery, Program } from '../program.ts';
import { Rng } from '../rng.ts';
import type { SyscallContext } from '../syscalls.ts';
import { describeThrown, ProgramFault } from '../describe-thrown.ts';
import { Realm, type HostSyscall, type RealmValue } from './realm.ts';
import { types } from 'node:util';

interface Instance {
  module: ConfinedModule;
  generation: number;
  program: { init: unknown; receive: unknown };
}

/** The crank a program of this module runs now: its syscalls, clock and Math.random go there. */
interface ActiveCrank {
  kernel: Kernel;
  pid: ObjectId;
  /** This crank's Math.random stream, made at its first call. */
  rng: Rng | null;
  sys: SyscallContext;
  /** A failure of capsim's own during a syscall: rethrown after the handler, as a bug. */
  hostFailure: unknown;
  /** ctx.self as the realm sees it, made at its first reading in the crank. */
  self: RealmValue;
}

/** Where a program is found in a module instance: `exports[exportName].programs[name]`. */
export interface ProgramAddress {
  exportName: string;
  name: string;
}

export class ConfinedModule {
  readonly realm: Realm;
  private readonly instantiate: () => Record<string, unknown>;
  /** The running crank's record, or null between cranks (a ctx then reaches nothing). */
  private active: ActiveCrank | null = null;
  /** The one record every crank fills in turn (cranks run one at a time): no allocation per crank. */
  private readonly crank: ActiveCrank = { kernel: null as unknown as Kernel, pid: 0, rng: null, sys: null as unknown as SyscallContext, hostFailure: null, self: null };
  /**
   * One ctx for every process of the module: cranks run one at a time, and a ctx kept past its
   * crank reaches nothing (not_in_crank) or, used in a later crank of its own process, acts for
   * that crank — as the fresh one would. No process can hold another's: a ctx is not plain data.
   */
  private readonly ctx: RealmValue;
  /** Realm copies of frozen host values (adoptOnce), dropped with the values. */
  private readonly adopted = new WeakMap<object, RealmValue>();

  /** `code`: the module bundled into CommonJS shape and instrumented with budget steps. */
  constructor(
    readonly file: string,
    code: string,
  ) {
    this.realm = new Realm({ now: () => this.now(), random: () => this.random() }, file);
    const intrinsics = this.realm.intrinsics();
    admitPlainPrototypes(intrinsics.objectPrototype, intrinsics.arrayPrototype);
    this.instantiate = this.realm.compile(code, file);
    const ops: Record<string, HostSyscall> = {};
    for (const [name, call] of Object.entries(SYSCALL_TABLE) as [string, Syscall][]) ops[name] = (a, b, c, d) => this.syscall(call as AnySyscall, a, b, c, d);
    this.ctx = this.realm.ctx(ops, () => this.self());
  }

  /**
   * Runs description code (the module's top level, a description's input()) outside any crank,
   * within `steps`. Returns what it returned, or throws a ProgramFault described for `what`.
   */
  describe<T>(what: string, steps: number, run: (exports: () => Record<string, unknown>) => T): T {
    this.realm.setBudget(steps);
    let result: T;
    try {
      result = run(this.instantiate);
    } catch (err) {
      if (err instanceof ProgramFault) throw err;
      if (this.realm.budgetSpent()) throw new ProgramFault(`${what} ran past its budget of ${steps} steps`);
      const description = describeThrown(err, what);
      throw new ProgramFault(description.startsWith(what) ? description : `${what} threw ${description}`);
    }
    if (this.realm.budgetSpent()) throw new ProgramFault(`${what} ran past its budget of ${steps} steps`);
    return result;
  }

  /**
   * Calls one of the description's own functions (a client's ops, the model, reflects) in the
   * description's realm, within `steps`: its arguments are copied in, as a program's are.
   */
  callDescribed(what: string, steps: number, fn: (...args: never[]) => unknown, args: readonly unknown[]): unknown {
    // Copying in costs as much as the data: an argument the function declares no parameter for
    // (reflects' whole history, say) is not copied. A function with rest parameters gets them all.
    const declared = fn.length > 0 ? Math.min(fn.length, args.length) : args.length;
    return this.describe(what, steps, () => Reflect.apply(fn, undefined, args.slice(0, declared).map((a) => this.adoptOnce(a))));
  }

  /**
   * A frozen object is copied in once and its copy reused: the durable checker hands the same
   * restored view to reflects for every operation, and copying it each time was a third of a
   * checked run. Frozen is taken to mean deeply frozen, as the restored view and every piece of
   * the kernel's plain data are; anything else is copied afresh.
   */
  private adoptOnce(value: unknown): RealmValue {
    if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return this.realm.adopt(value);
    let copy = this.adopted.get(value);
    if (copy === undefined) {
      copy = this.realm.adopt(value);
      this.adopted.set(value, copy);
    }
    return copy;
  }

  /** The host-side program the kernel calls for `address`. */
  program(address: ProgramAddress): Program {
    return new ConfinedProgram(this, address);
  }

  /** One handler call of a confined program, as the header describes. */
  run(address: ProgramAddress, ctx: Ctx, handler: 'init' | 'receive', args: readonly PlainData[] | null, state: PlainData, delivery: Delivery | null): PlainData {
    const sys = ctx as SyscallContext;
    const kernel = sys.kernel;
    const p = sys.process;
    const steps = kernel.limits.crank_steps_max;
    const active = this.crank;
    active.kernel = kernel;
    active.pid = p.id;
    active.rng = null;
    active.sys = sys;
    active.hostFailure = null;
    active.self = null;
    let outcome: unknown = null;
    let thrown: { value: unknown } | null = null;
    try {
      this.active = active;
      // A new instance's module code runs inside the crank's budget: the handler gets what is left.
      let budget = steps;
      let instance = p.programInstance as Instance | null;
      if (instance === null || instance.module !== this || instance.generation !== p.generation) {
        this.realm.setBudget(steps);
        instance = this.instantiateFor(p, address);
        budget = -1;
      }
      const fn = handler === 'init' ? instance.program.init : instance.program.receive;
      if (typeof fn !== 'function') throw new ProgramFault(`${programLabel(address)} has no ${handler} function`);
      outcome = handler === 'receive' ? this.realm.receive(fn, instance.program, this.ctx, budget, state, delivery as Delivery) : this.realm.init(fn, instance.program, this.ctx, budget, args as readonly PlainData[]);
    } catch (err) {
      thrown = { value: err };
    } finally {
      this.active = null;
    }
    if (active.hostFailure !== null) throw active.hostFailure;
    // A handler that returned after spending its budget returns the realm's `spent`; one that threw may have spent it too.
    if (outcome === this.realm.spent || (thrown !== null && this.realm.budgetSpent())) {
      throw new KernelError('crank_budget_exceeded', `${programLabel(address)} ran past the crank budget of ${steps} steps in ${handler} (limits.crank_steps_max)`);
    }
    if (thrown !== null) throw thrown.value instanceof ProgramFault ? thrown.value : new ProgramFault(describeThrown(thrown.value, programLabel(address)));
    // Only an object can be a Promise; isPromise is a call into C++ that most states need not pay.
    if (typeof outcome === 'object' && outcome !== null && types.isPromise(outcome)) {
      this.realm.settle(outcome);
      throw new KernelError('async_handler', `${programLabel(address)}: ${handler} returned a Promise; a handler returns its next state synchronously`);
    }
    return outcome as PlainData;
  }

  private instantiateFor(p: Process, address: ProgramAddress): Instance {
    const exports = this.instantiate();
    const instance: Instance = { module: this, generation: p.generation, program: programIn(exports, address) };
    p.programInstance = instance;
    return instance;
  }

  /** ctx.self inside the realm: made once per crank, at its first reading, as any syscall's result is. */
  private self(): RealmValue {
    const active = this.active;
    if (active === null) throw this.realm.kernelError('not_in_crank', 'no crank is running: a ctx acts only inside one');
    return (active.self ??= this.syscall(readSelf, undefined, undefined, undefined, undefined));
  }

  /** A syscall from inside the realm. Only realm values go back: results copied in, errors made there. */
  private syscall(call: AnySyscall, a: unknown, b: unknown, c: unknown, d: unknown): RealmValue {
    const active = this.active;
    if (active === null) throw this.realm.kernelError('not_in_crank', 'no crank is running: a ctx acts only inside one');
    try {
      return this.realm.adopt(call(active.sys, a, b, c, d));
    } catch (err) {
      if (err instanceof KernelError) throw this.realm.kernelError(err.code, err.message.slice(err.code.length + 2));
      // What the program's own code threw (a getter of an argument it passed) is its own.
      if (!(err instanceof Error)) throw err;
      if (err instanceof RangeError) throw this.realm.kernelError('invalid_argument', `the call overflowed the stack (${err.message})`);
      active.hostFailure ??= err;
      throw this.realm.kernelError('invalid_argument', 'the kernel failed on this call');
    }
  }

  private now(): number {
    return this.active?.kernel.crankCount ?? 0;
  }

  private random(): number {
    const c = this.active;
    if (c === null) return -1;
    c.rng ??= new Rng(crankSeed(c.kernel.seed, c.pid, c.kernel.crankCount));
    return c.rng.nextU32() / 2 ** 32;
  }
}

/** How faults name the program: made only when one is reported, not on every crank. */
function programLabel(address: ProgramAddress): string {
  return `program '${address.name}'`;
}

type Syscall = (sys: SyscallContext, a: never, b: never, c: never, d: never) => unknown;

/**
 * The realm ctx's syscalls (realm-setup.ts makeCtx names the same), each a direct call of the
 * host ctx's method, handed to the realm one entry per syscall: finding the method by its name
 * on every call (a property lookup, then a Map) cost more than the send it made. The arguments
 * are the program's, as it passed them; each syscall checks its own.
 */
const SYSCALL_TABLE = {
  send: (s, a, b, c) => s.send(a, b, c),
  call: (s, a, b, c) => s.call(a, b, c),
  reply: (s, a, b, c) => s.reply(a, b, c),
  copy: (s, a, b) => s.copy(a, b),
  mint: (s, a, b, c, d) => s.mint(a, b, c, d),
  move: (s, a, b) => s.move(a, b),
  delete: (s, a) => s.delete(a),
  revoke: (s, a) => s.revoke(a),
  identify: (s, a) => s.identify(a),
  compare: (s, a, b) => s.compare(a, b),
  slots: (s) => s.slots(),
  createEndpoint: (s) => s.createEndpoint(),
  createStorage: (s, a) => s.createStorage(a),
  read: (s, a) => s.read(a),
  write: (s, a, b) => s.write(a, b),
  register: (s, a, b, c) => s.register(a, b, c),
  unregister: (s, a, b) => s.unregister(a, b),
  names: (s, a) => s.names(a),
  lookup: (s, a) => s.lookup(a),
  sturdy: (s, a) => s.sturdy(a),
  restore: (s, a, b) => s.restore(a, b),
  unsturdy: (s, a) => s.unsturdy(a),
  log: (s, a) => s.log(a),
  exit: (s) => s.exit(),
} satisfies Record<Exclude<keyof Ctx, 'self'>, Syscall>;

/** A table entry as the dispatcher calls it: the program's arguments are unknown until the syscall checks them. */
type AnySyscall = (sys: SyscallContext, a: unknown, b: unknown, c: unknown, d: unknown) => unknown;

/** ctx.self as plain data, for the realm to copy. */
const readSelf: AnySyscall = (sys) => ({ program: sys.self.program, args: sys.self.args, generation: sys.self.generation });

/** The seed of one crank's Math.random: the run's seed, the process and the crank, mixed. */
function crankSeed(seed: number, pid: ObjectId, crank: number): number {
  return (seed ^ Math.imul(pid, 0x9e3779b1) ^ Math.imul(crank, 0x85ebca6b)) >>> 0;
}

function programIn(exports: Record<string, unknown>, address: ProgramAddress): { init: unknown; receive: unknown } {
  const system = exports[address.exportName] as { programs?: Record<string, unknown> } | undefined;
  const program = system?.programs?.[address.name] as { init: unknown; receive: unknown } | undefined;
  if (typeof program !== 'object' || program === null) {
    throw new ProgramFault(`program '${address.name}': this instance of the module has no ${address.exportName}.programs['${address.name}']`);
  }
  return program;
}

/** What the kernel calls: the program's handlers, run confined. */
class ConfinedProgram implements Program {
  /** The delivery is copied into the realm during receive, and the host's object kept by nobody. */
  readonly borrowsDelivery = true;

  constructor(
    private readonly module: ConfinedModule,
    readonly address: ProgramAddress,
  ) {}

  init(ctx: Ctx, args: readonly PlainData[]): PlainData {
    return this.module.run(this.address, ctx, 'init', args, null, null);
  }

  receive(ctx: Ctx, state: PlainData, message: Delivery): PlainData {
    return this.module.run(this.address, ctx, 'receive', null, state, message);
  }
}
