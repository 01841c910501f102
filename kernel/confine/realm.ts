/**
 * A confined realm: a node:vm context holding only ECMAScript's own objects — no process, no
 * require, no timers, no fs or network, no console — with code generation from strings off (so
 * no eval or Function can make code that escapes instrumentation), its microtasks held in its
 * own queue (they never run: a crank ends when its handler returns), the clocks and
 * Math.random replaced by the simulation's, and every reachable object frozen (realm-setup.ts).
 *
 * One realm serves one loaded module, and every process running one of its programs: they share
 * the realm's frozen intrinsics and nothing mutable. Host data crosses into the realm only
 * through `adopt` (copied unless the realm made it), so no host object, and through it the
 * host's Function, is ever in a program's reach.
 */
import vm from 'node:vm';
import type { PlainData } from '../plain-data.ts';
import type { Delivery } from '../program.ts';
import { REALM_SETUP_SOURCE } from './realm-setup.ts';

/** What the realm asks of the host while a crank runs. */
export interface RealmHooks {
  /** The simulated clock, in milliseconds. */
  now(): number;
  /**
   * The running crank's seeded stream, in [0, 1); -1 outside a crank. A hook never throws: a
   * host error thrown into the realm would hand a program the host's Function.
   */
  random(): number;
}

/** A compiled module: each call makes a fresh instance of it (its own module-level state). */
export type ModuleFactory = (step: () => void, api: object) => Record<string, unknown>;

/** Opaque realm values, as the host holds them. */
export type RealmValue = unknown;

/** The host's side of one syscall of a realm's ctx: the program's arguments in, a realm value out. */
export type HostSyscall = (a: unknown, b: unknown, c: unknown, d: unknown) => unknown;

interface RealmHelpers {
  api: object;
  step: () => void;
  budget: { set(steps: number): void; spent(): boolean };
  adopt(value: unknown): RealmValue;
  receive(fn: unknown, program: unknown, ctx: RealmValue, steps: number, state: PlainData, type: string, badge: number, payload: PlainData, caps: readonly number[], dropped: number, reply: number | null, error: string | null): RealmValue;
  init(fn: unknown, program: unknown, ctx: RealmValue, steps: number, args: readonly PlainData[]): RealmValue;
  SPENT: RealmValue;
  makeCtx(ops: Readonly<Record<string, HostSyscall>>, self: () => unknown): RealmValue;
  settle(promise: unknown): void;
  KernelError: new (code: string, message: string) => Error;
  globals: object;
  globalNames: readonly string[];
  frozen: number;
}

/** The names the module wrapper binds; a module that uses them is refused at load. */
export const RESERVED_PREFIX = '$capsim$';

export class Realm {
  readonly context: vm.Context;
  /** What receive() and init() return for a handler that returned after spending its budget: a realm object no program can reach. */
  readonly spent: RealmValue;
  private readonly helpers: RealmHelpers;

  constructor(hooks: RealmHooks, name: string) {
    this.context = vm.createContext(Object.create(null), { name, codeGeneration: { strings: false, wasm: false }, microtaskMode: 'afterEvaluate' });
    const setup = new vm.Script(REALM_SETUP_SOURCE, { filename: 'capsim:realm-setup' }).runInContext(this.context) as (hooks: RealmHooks) => RealmHelpers;
    this.helpers = setup(hooks);
    this.spent = this.helpers.SPENT;
  }

  /** The realm's own prototypes of plain objects and arrays. */
  intrinsics(): { objectPrototype: object; arrayPrototype: object } {
    return vm.runInContext('({ objectPrototype: Object.prototype, arrayPrototype: Array.prototype })', this.context) as { objectPrototype: object; arrayPrototype: object };
  }

  /** How many objects the realm froze: its intrinsics and the helpers. */
  get frozenObjects(): number {
    return this.helpers.frozen;
  }

  /**
   * Compiles a module's code (CommonJS shape, instrumented) once; the factory instantiates it.
   * Throws the realm's SyntaxError with the file and line in its stack.
   */
  compile(code: string, filename: string): () => Record<string, unknown> {
    const { step, api, globals, globalNames } = this.helpers;
    const wrapped = [
      `(function (${RESERVED_PREFIX}globals) { 'use strict'; const { ${globalNames.join(', ')} } = ${RESERVED_PREFIX}globals;`,
      `return function (${RESERVED_PREFIX}step, ${RESERVED_PREFIX}api) { const module = { exports: {} }; (function (module, exports) {`,
      code,
      `})(module, module.exports); return module.exports; }; })`,
    ].join('\n');
    const outer = new vm.Script(wrapped, { filename, lineOffset: -2 }).runInContext(this.context) as (globals: object) => ModuleFactory;
    const factory = outer(globals);
    return () => factory(step, api);
  }

  setBudget(steps: number): void {
    this.helpers.budget.set(steps);
  }

  budgetSpent(): boolean {
    return this.helpers.budget.spent();
  }

  adopt(value: unknown): RealmValue {
    // A primitive is the same value in every realm: no call across for it (most syscalls
    // return nothing, most states are numbers or small records).
    if (typeof value !== 'object' || value === null) return value;
    return this.helpers.adopt(value);
  }

  /**
   * Calls a program's receive(ctx, state, delivery) in one crossing: sets the budget to `steps`
   * (a negative count keeps the budget as set), copies the state and the delivery in, and
   * returns the handler's result — or `spent` if the handler returned after spending the budget.
   * What the handler throws, it throws here.
   */
  receive(fn: unknown, program: unknown, ctx: RealmValue, steps: number, state: PlainData, d: Delivery): RealmValue {
    return this.helpers.receive(fn, program, ctx, steps, state, d.type, d.badge, d.payload, d.caps, d.dropped, d.reply, d.error);
  }

  /** Calls a program's init(ctx, args) as receive() calls its receive. */
  init(fn: unknown, program: unknown, ctx: RealmValue, steps: number, args: readonly PlainData[]): RealmValue {
    return this.helpers.init(fn, program, ctx, steps, args);
  }

  /** The realm's ctx: each syscall calls its entry in `ops` (by name, as Ctx names them), ctx.self calls `self`. */
  ctx(ops: Readonly<Record<string, HostSyscall>>, self: () => unknown): RealmValue {
    return this.helpers.makeCtx(ops, self);
  }

  kernelError(code: string, message: string): Error {
    return new this.helpers.KernelError(code, message);
  }

  /** Marks a realm promise handled, so its rejection is not the host's unhandled rejection. */
  settle(promise: unknown): void {
    try {
      this.helpers.settle(promise);
    } catch {
      // a promise whose species getter throws: it stays unhandled in a queue that never runs
    }
  }
}
