/**
 * A REPL session: one system on one store, driven by typed commands. The session owns the
 * System (the restart agent's handle), knows whether the power is on, and offers the few
 * things every command needs: the live kernel, output, endpoints by name, and the commit that
 * makes a host-level change (grant, revoke, spawn) persistent like a crank's.
 */
import { READ, WRITE, type Kernel, type KObject, type PlainData, type Process, type Rights, type SystemSpec, type TraceEvent } from '../../kernel/index.ts';
import { CONSOLE_PROGRAM, withConsole, type ConsoleState } from './console.ts';
import { describeLocation, System, type CheckpointOutcome, type BuiltInModelName, type RestartReport, type StoreLocation } from '../../restart-agent/index.ts';
import { ReplError } from './command.ts';
import { buildGraph, type CapGraph } from '../graph/index.ts';

/** What one command did to the capability graph: the graphs before and after it (null: the power was off). */
export interface GraphChange {
  line: string;
  before: CapGraph | null;
  after: CapGraph | null;
}

/** Trace events the session keeps for `trace` and for showing what a `step` did. */
export const TRACE_KEEP = 2_000;

export interface SessionOptions {
  spec: SystemSpec;
  location: StoreLocation;
  seed: number;
  syncEvery: number;
  /** The persistence model of a new system (a booted store keeps the one it was made with). */
  model?: BuiltInModelName;
  /** Cranks between automatic checkpoints under the checkpoint models (0: only the checkpoint command). */
  checkpointEvery?: number;
  /** Most cranks one `run` may ask for: the prompt must come back. */
  runMax: number;
  debug: boolean;
  /** Where everything the session prints goes (stdout in the CLI, a buffer in tests). */
  write: (text: string) => void;
}

type Endpoint = Extract<KObject, { kind: 'endpoint' }>;

/** The name of the system the session started with, among spawned instances. */
export const MAIN_INSTANCE = 'main';

/** A system the session drives: the one it started with, or an instance spawned from a snapshot. */
export interface Instance {
  system: System;
  /** The snapshot it was spawned from; null for the main system. */
  from: string | null;
  /** Its state hash when spawned (kernel/state.ts); null for the main system. */
  stateHash: string | null;
  powered: boolean;
}

/** Instances one session may hold at once: each is a whole system in memory. */
export const INSTANCES_MAX = 16;

export class Session {
  private ended = false;
  private readonly instances = new Map<string, Instance>();
  private activeName = MAIN_INSTANCE;
  /** The graph when the last command ended with the power on: a restart is compared with it. */
  private graphSeen: CapGraph | null = null;
  private change: GraphChange | null = null;

  private constructor(
    readonly options: SessionOptions,
    main: System,
  ) {
    this.instances.set(MAIN_INSTANCE, { system: main, from: null, stateHash: null, powered: true });
  }

  /** The system the commands act on. */
  get system(): System {
    return this.active.system;
  }

  /** The system the session started with: its store is where snapshots are saved. */
  get main(): Instance {
    return this.instances.get(MAIN_INSTANCE) as Instance;
  }

  get activeInstance(): string {
    return this.activeName;
  }

  private get active(): Instance {
    return this.instances.get(this.activeName) as Instance;
  }

  private get powered(): boolean {
    return this.active.powered;
  }

  private set powered(on: boolean) {
    this.active.powered = on;
  }

  /** Instances by name, the main system first. */
  listInstances(): [string, Instance][] {
    return [...this.instances.entries()];
  }

  addInstance(name: string, instance: Instance): void {
    if (this.instances.has(name)) throw new ReplError(`an instance named '${name}' exists already`);
    if (this.instances.size >= INSTANCES_MAX) throw new ReplError(`a session holds at most ${INSTANCES_MAX} instances: 'snap boom' one first`);
    this.instances.set(name, instance);
  }

  /** Makes `name` the system the commands act on. */
  use(name: string): void {
    if (!this.instances.has(name)) throw new ReplError(`no instance '${name}' (instances: ${[...this.instances.keys()].join(', ')})`);
    this.activeName = name;
  }

  /** Frees a spawned instance: its system and its in-memory store are gone. */
  async boom(name: string): Promise<void> {
    const instance = this.instances.get(name);
    if (instance === undefined) throw new ReplError(`no instance '${name}' (instances: ${[...this.instances.keys()].join(', ')})`);
    if (name === MAIN_INSTANCE) throw new ReplError('the main system cannot be boomed: quit ends it');
    if (name === this.activeName) throw new ReplError(`'${name}' is in use: 'snap use main' first`);
    this.instances.delete(name);
    await instance.system.close();
  }

  /** A fresh system on an empty store, or (`open`) the system the store holds, booted. */
  static async start(options: SessionOptions, open: boolean): Promise<{ session: Session; report: RestartReport | null }> {
    // The console (for `call`) must be a program of the system, also in what its checkpoints hold.
    options = { ...options, spec: withConsole(options.spec) };
    const systemOptions = { spec: options.spec, store: options.location, seed: options.seed, syncEvery: options.syncEvery, trace: 'full' as const, traceKeep: TRACE_KEEP, checkpointEvery: options.checkpointEvery };
    if (open) {
      const { system, report } = await System.open(systemOptions);
      return { session: new Session(options, system), report };
    }
    return { session: new Session(options, await System.create({ ...systemOptions, model: options.model })), report: null };
  }

  get spec(): SystemSpec {
    return this.options.spec;
  }

  get storeDescription(): string {
    return describeLocation(this.options.location);
  }

  get isPowered(): boolean {
    return this.powered;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** The live kernel; between a crash and a restart there is none. */
  kernel(): Kernel {
    if (!this.powered) throw new ReplError("the power is off: type 'restart' to boot the store again");
    return this.system.kernel;
  }

  print(text = ''): void {
    this.options.write(`${text}\n`);
  }

  async powerLoss(keepBatches: number): Promise<{ cranks: number; unsyncedBatches: number }> {
    this.kernel();
    const loss = await this.system.powerLoss({ keepBatches });
    this.powered = false;
    return loss;
  }

  /** A checkpoint now; cut short (the power then off) when `interruptAfterBatches` is given. */
  async checkpoint(interruptAfterBatches?: number): Promise<CheckpointOutcome> {
    this.kernel();
    if (!this.system.checkpointing) throw new ReplError(`this system runs the '${this.system.model}' model: start the repl with --model checkpoint (or both) to take checkpoints`);
    const out = await this.system.checkpoint(interruptAfterBatches === undefined ? {} : { interruptAfterBatches });
    if (!out.complete) this.powered = false;
    return out;
  }

  async restart(): Promise<RestartReport> {
    if (this.powered) throw new ReplError("the power is on: 'crash' first, then 'restart'");
    const report = await this.system.restart();
    this.powered = true;
    return report;
  }

  /**
   * Host-level changes happen between cranks and are committed at once, through the same
   * commit path as a crank's, and synced: they happen at no crank of their own, so the restart
   * report (which counts lost work in cranks) could not say that one was lost. What a teacher
   * did by hand is there after a crash; what the programs did since the last sync may not be.
   */
  async commitHostChange(): Promise<void> {
    await this.system.commit({ sync: true });
  }

  /** Makes sure the kernel can draw new object IDs (a spawn outside a crank needs some). */
  async reserveIds(): Promise<void> {
    await this.system.allocator.ensure();
  }

  /** The trace events recorded since the trace's total was `total`, as far as the ring keeps them. */
  eventsSince(total: number): TraceEvent[] {
    const trace = this.kernel().trace;
    const fresh = Math.min(trace.total - total, TRACE_KEEP);
    return fresh <= 0 ? [] : trace.events().slice(-fresh);
  }

  /** Processes in pid order. */
  processes(): Process[] {
    return [...this.kernel().processes()].sort((a, b) => a.id - b.id);
  }

  /**
   * Live endpoints by the name their owner holds them under, which is the label the system
   * description gave them. Read from the kernel, so it is right after a restart too.
   */
  endpointNames(): Map<string, Endpoint[]> {
    const byName = new Map<string, Endpoint[]>();
    if (!this.powered) return byName;
    for (const o of this.system.kernel.objects.values()) {
      if (o.kind !== 'endpoint' || !o.alive) continue;
      for (const [name, cap] of o.owner.named) {
        if (cap.object !== o) continue;
        const list = byName.get(name) ?? [];
        list.push(o);
        byName.set(name, list);
      }
    }
    return byName;
  }

  /** An endpoint by label, or by object ID written e12 or 12. */
  endpoint(ref: string): Endpoint {
    const kernel = this.kernel();
    const asId = /^e?(\d+)$/.exec(ref);
    if (asId) {
      const o = kernel.objects.get(Number(asId[1]));
      if (o?.kind === 'endpoint' && o.alive) return o;
      throw new ReplError(`no live endpoint ${ref}`);
    }
    const byName = this.endpointNames();
    const found = byName.get(ref) ?? [];
    if (found.length === 1 && found[0]) return found[0];
    if (found.length > 1) throw new ReplError(`${found.length} endpoints are named '${ref}' (${found.map((e) => `e${e.id}`).join(', ')}): name one by ID`);
    const known = [...byName.keys()].sort();
    throw new ReplError(`no endpoint named '${ref}' (endpoints: ${known.length > 0 ? known.join(', ') : 'none'})`);
  }

  /**
   * A call from the console: spawns a console process (not persistent), grants it the
   * endpoint (rights as its owner holds them, less grant), has it call with `payload`, runs up
   * to `cranksMax` cranks until the answer is back, then ends the console. What the cranks did
   * is in the trace; the answer (or the error the kernel gave instead) is returned.
   */
  async call(endpoint: Endpoint, payload: PlainData, cranksMax: number): Promise<{ answer: ConsoleState; cranks: number; console: number }> {
    const kernel = this.kernel();
    const owner = endpoint.owner;
    let source: number | null = null;
    for (const [slot, cap] of owner.cspace.entries()) {
      if (cap.object === endpoint && (source === null || cap.parent === null)) source = slot;
    }
    if (source === null) throw new ReplError(`p${owner.id} holds no capability to e${endpoint.id} to grant the console`);
    const rights = (owner.cspace.lookup(source).rights & (READ | WRITE)) as Rights;
    if ((rights & READ) === 0) throw new ReplError(`p${owner.id}'s capability to e${endpoint.id} has no read right: it cannot be called`);
    await this.reserveIds();
    const pid = kernel.spawn(CONSOLE_PROGRAM, []);
    const inbox = kernel.createEndpoint(pid);
    const slot = kernel.grant(owner.id, source, pid, { rights });
    kernel.start(pid);
    kernel.inject(inbox.id, { slot, payload });
    let cranks = 0;
    const consoleProcess = kernel.process(pid);
    while (cranks < cranksMax && (consoleProcess.state as ConsoleState).phase !== 'answered') {
      if ((await this.system.step()) === null) break;
      cranks++;
    }
    const answer = consoleProcess.state as ConsoleState;
    this.system.kernel.terminate(pid);
    await this.commitHostChange();
    return { answer, cranks, console: pid };
  }

  /** The graph of the active system now; with the power off, the last one seen with it on. */
  graphNow(): CapGraph | null {
    if (!this.powered) return this.graphSeen;
    this.graphSeen = buildGraph(this.system.kernel);
    return this.graphSeen;
  }

  /** Notes what the command `line` changed, given the graph before it. */
  recordChange(line: string, before: CapGraph | null): void {
    const after = this.powered ? this.graphNow() : null;
    this.change = { line, before, after };
  }

  /** What the last command that could change something changed; null before any ran. */
  get lastChange(): GraphChange | null {
    return this.change;
  }

  /** Ends the session after the current command. */
  end(): void {
    this.ended = true;
  }

  async close(): Promise<void> {
    for (const instance of this.instances.values()) await instance.system.close();
  }
}
