/**
 * A Lab is a kernel with one registered program, 'lab', whose behaviour per process is a pair of
 * test functions found by the label in the process's first argument. Tests write behaviours
 * inline; the kernel sees an ordinary program, so export/import and restarts work unchanged.
 */
import {
  CounterAllocator,
  Kernel,
  KernelError,
  exportState,
  importState,
  type Ctx,
  type Delivery,
  type KernelOptions,
  type ObjectId,
  type PlainData,
  type Program,
  type ProgramTable,
  type Rights,
} from '../../../kernel/index.ts';

export interface Behaviour {
  init?: (ctx: Ctx) => PlainData | void;
  receive?: (ctx: Ctx, m: Delivery, state: PlainData) => PlainData | void;
}

export type LabOptions = Omit<KernelOptions, 'programs'>;

export class Lab {
  kernel: Kernel;
  readonly programs: ProgramTable;
  private readonly behaviours = new Map<string, Behaviour>();
  /** Every delivery each label's handler was called with, committed or not. */
  private readonly seen = new Map<string, Delivery[]>();
  private readonly pids = new Map<string, ObjectId>();
  private readonly pokes = new Map<string, (ctx: Ctx, m: Delivery) => PlainData | void>();
  private readonly pokeEndpoints = new Map<string, ObjectId>();

  constructor(private readonly options: LabOptions = {}) {
    const program: Program = {
      init: (ctx, args) => {
        const result = this.behaviour(args[0]).init?.(ctx);
        return result === undefined ? null : result;
      },
      receive: (ctx, state, m) => {
        const label = ctx.self.args[0] as string;
        const poke = this.pokes.get(label);
        if (poke !== undefined && isPoke(m.payload)) {
          this.pokes.delete(label);
          return poke(ctx, m) ?? state;
        }
        this.deliveries(label).push(m);
        const result = this.behaviour(label).receive?.(ctx, m, state);
        return result === undefined ? state : result;
      },
    };
    this.programs = { lab: program };
    this.kernel = new Kernel({ ...options, programs: this.programs });
  }

  /** Spawns (not starts) a process running `behaviour` under `label`. */
  spawn(label: string, behaviour: Behaviour = {}, opts: { persistent?: boolean } = {}): ObjectId {
    if (this.behaviours.has(label)) throw new Error(`label ${label} used twice`);
    this.behaviours.set(label, behaviour);
    const pid = this.kernel.spawn('lab', [label], opts);
    this.pids.set(label, pid);
    return pid;
  }

  pid(label: string): ObjectId {
    const pid = this.pids.get(label);
    if (pid === undefined) throw new Error(`no process labelled ${label}`);
    return pid;
  }

  /** An endpoint owned by `label`, its full capability in the owner's `slot` (or the first free). */
  endpoint(label: string, slot?: number): { id: ObjectId; slot: number } {
    return this.kernel.createEndpoint(this.pid(label), slot === undefined ? {} : { slot });
  }

  /** Host wiring: a child of from's capability in `fromSlot` into `to`'s c-list. */
  grant(from: string, fromSlot: number, to: string, opts: { rights?: Rights; badge?: number; slot?: number; name?: string } = {}): number {
    return this.kernel.grant(this.pid(from), fromSlot, this.pid(to), opts);
  }

  /**
   * Runs `fn` inside a crank of `label` (a started process) and returns what it returned, or the
   * KernelError code it threw (the crank then commits; use `fault` to make it throw after `fn`).
   * The poke arrives through an endpoint in the last slot, made on first use.
   */
  poke<T>(label: string, fn: (ctx: Ctx, m: Delivery) => T, opts: { fault?: boolean } = {}): Outcome<T> {
    const endpoint = this.pokeEndpoint(label);
    let outcome: Outcome<T> | null = null;
    this.pokes.set(label, (ctx, m) => {
      outcome = attempt(() => fn(ctx, m));
      if (opts.fault) throw new Error('fault after poke');
    });
    this.kernel.inject(endpoint, { poke: true });
    for (let i = 0; i < 10_000 && outcome === null; i++) {
      if (this.kernel.step() === null) break;
    }
    if (outcome === null) throw new Error(`poke of ${label} never ran (is it waiting, faulted or not started?)`);
    return outcome;
  }

  pokeEndpoint(label: string): ObjectId {
    let id = this.pokeEndpoints.get(label);
    if (id === undefined) {
      id = this.kernel.createEndpoint(this.pid(label), { slot: this.kernel.limits.slots_max - 1 }).id;
      this.pokeEndpoints.set(label, id);
    }
    return id;
  }

  deliveries(label: string): Delivery[] {
    let list = this.seen.get(label);
    if (list === undefined) {
      list = [];
      this.seen.set(label, list);
    }
    return list;
  }

  /** Payloads delivered to `label`, in order. */
  payloads(label: string): PlainData[] {
    return this.deliveries(label).map((m) => m.payload);
  }

  /** A second kernel rebuilt from this one's exported state, running the same behaviours. */
  reimport(): Kernel {
    const highWater = (this.kernel.allocator as CounterAllocator).highWater;
    return importState(exportState(this.kernel), { ...this.importOptions(), allocator: new CounterAllocator(highWater) });
  }

  importOptions(): Omit<KernelOptions, 'seed' | 'schedule' | 'limits' | 'allocator'> {
    const { seed: _seed, schedule: _schedule, limits: _limits, allocator: _allocator, ...rest } = this.options;
    return { ...rest, programs: this.programs };
  }

  private behaviour(label: unknown): Behaviour {
    const b = typeof label === 'string' ? this.behaviours.get(label) : undefined;
    if (b === undefined) throw new Error(`no behaviour for label ${String(label)}`);
    return b;
  }
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string };

function isPoke(payload: PlainData): boolean {
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload) && (payload as { poke?: unknown }).poke === true;
}

/** Runs `fn`: its value, or the code of the KernelError it threw. Other errors propagate. */
export function attempt<T>(fn: () => T): Outcome<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof KernelError) return { ok: false, code: err.code };
    throw err;
  }
}

/** Runs `fn` and returns the KernelError code it threw, or 'none'. Other errors propagate. */
export function codeOf(fn: () => unknown): string {
  const outcome = attempt(fn);
  return outcome.ok ? 'none' : outcome.code;
}
