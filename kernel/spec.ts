/**
 * A system description, in the spirit of capDL: the programs, the processes with their command
 * lines, the endpoints and storage objects they own, and who holds which capability under
 * which name. It is plain data plus the program table, so an example or a user's module can
 * declare a whole system, and `instantiate` wires it into a kernel.
 */
import { parseRights, READ, WRITE, type Rights } from './caps/rights.ts';
import { KernelUsageError } from './errors.ts';
import type { ObjectId } from './ids.ts';
import type { Kernel } from './kernel.ts';
import { freezePlain, type PlainData } from './plain-data.ts';
import { types } from 'node:util';
import type { ProgramTable } from './program.ts';

export type RestartMode = 'permanent' | 'transient' | 'temporary';

/** Erlang/OTP's restart policy: more than `intensity` restarts within `periodCranks` stops the process. */
export interface RestartPolicy {
  mode: RestartMode;
  intensity: number;
  periodCranks: number;
}

export const DEFAULT_POLICY: Readonly<RestartPolicy> = Object.freeze({ mode: 'permanent', intensity: 3, periodCranks: 1000 });

export interface ProcessSpec {
  /** A label for wiring and reports; unique in the system. */
  name: string;
  program: string;
  args?: PlainData[];
  /** Registered in the trusted database (explicit persistence). Default true. */
  persistent?: boolean;
  policy?: Partial<RestartPolicy>;
  /** Services this process provides, each through one of its own endpoints (restart-agent/services.ts). */
  provides?: { service: string; endpoint: string }[];
  /**
   * Services this process requires: it starts after their providers, at creation and after
   * every restart, and holds a capability to each named `service:<name>` (rights rw).
   */
  requires?: string[];
  /** One of its own endpoints where it is told, by a message, that a provider it requires went and came back. */
  notices?: string;
}

/** The name under which a requirer holds its capability to a provider. */
export const SERVICE_CAP_PREFIX = 'service:';
/** The name under which a requirer holds its notices endpoint, so the service manager finds it after any restart. */
export const SERVICE_NOTICES_NAME = 'service-notices';

export interface ObjectSpec {
  /** A label, unique in the system; also the name under which the owner holds it. */
  name: string;
  owner: string;
}

export interface StorageSpec extends ObjectSpec {
  data: PlainData;
}

/** A badge is an integer from 0 to BADGE_MAX (2^53 - 1, Number.MAX_SAFE_INTEGER), as mint accepts. */
export const BADGE_MAX = Number.MAX_SAFE_INTEGER;

export interface CapSpec {
  /** The process that receives the capability. */
  holder: string;
  /** The name it gets in the holder's named capability set. */
  name: string;
  /** An endpoint, storage or gatekeeper label. */
  target: string;
  /** Rights as letters: r, w, g and k (weak). Default: the owner's. */
  rights?: string;
  /** An integer from 0 to BADGE_MAX; default 0 (none). */
  badge?: number;
}

/** One external input: a message the host sends to an endpoint. */
export interface InputSpec {
  to: string;
  payload: PlainData;
  badge?: number;
}

/** One operation a client asks for: the call's payload is `{ op, value }`. */
export interface ClientOp {
  op: string;
  value?: PlainData;
}

/**
 * A client: outside the machine, it calls one endpoint through the capability the description
 * gives it, one operation at a time, and waits for each answer. What it was told is recorded in
 * the run's history, which no power loss touches.
 */
export interface ClientSpec {
  /** Unique among the clients; it names the client in the history. */
  name: string;
  /** The capability it calls through: an endpoint label, its rights (a call needs r, as `ctx.call`; default rw) and badge. */
  cap: { target: string; rights?: string; badge?: number };
  /** The client's i-th operation, or null when it has no more. */
  ops: (i: number) => ClientOp | null;
}

/**
 * What a system promises its clients, as a sequential model in plain functions: the state
 * before any operation, and for one operation the next state and the answer a client must get.
 * `key` (optional) says which operations are independent: those with different keys never
 * affect each other, so a checker may judge each key apart. The kernel never runs these; the
 * history checkers (capsim/testing) do.
 */
export interface ClientModel<S = unknown> {
  init(): S;
  step(state: S, op: { op: string; value: unknown }): [S, unknown];
  key?(op: { op: string; value: unknown }): string;
}

export interface SystemSpec {
  name: string;
  description: string;
  programs: ProgramTable;
  processes: ProcessSpec[];
  endpoints?: ObjectSpec[];
  storage?: StorageSpec[];
  /**
   * Gatekeepers, by label: objects no process owns that turn sturdy references back into
   * capabilities (`ctx.restore`). A process gets one through `caps` (rights default rw).
   */
  gatekeepers?: string[];
  caps?: CapSpec[];
  /** The i-th external input, or null when there are no more; fed whenever the system is idle. */
  input?: (i: number) => InputSpec | null;
  /** Clients outside the machine: their calls and answers are the run's history. */
  clients?: ClientSpec[];
  /** The sequential model the clients' history is checked against (linearizable). */
  model?: ClientModel<any>;
  /**
   * Durability as this system promises it: whether the system a restart gave back still
   * reflects an operation a client was told succeeded (`result` is what it was told; `history`,
   * the whole history so far, says what may have replaced it). Checked
   * after every restart for every such operation (the durable checker of capsim/testing).
   */
  reflects?: (op: { client: string; op: string; value: unknown; result: unknown }, restored: { processes: Record<string, unknown>; storage: Record<string, unknown> }, history: readonly unknown[]) => boolean;
}

export interface Wiring {
  processes: Map<string, ObjectId>;
  endpoints: Map<string, ObjectId>;
  storage: Map<string, ObjectId>;
  gatekeepers: Map<string, ObjectId>;
  policies: Map<ObjectId, RestartPolicy>;
}

/** Checks a description and names the first problem found; returns nothing when it is sound. */
export function checkSpec(spec: SystemSpec): void {
  const fail = (what: string): never => {
    throw new KernelUsageError(`system '${String(spec?.name)}': ${what}`);
  };
  if (typeof spec !== 'object' || spec === null) fail('the description is not an object');
  if (typeof spec.name !== 'string' || spec.name.length === 0) fail('needs a name');
  if (typeof spec.programs !== 'object' || spec.programs === null) fail('needs a programs table');
  if (!Array.isArray(spec.processes) || spec.processes.length === 0) fail('needs at least one process');
  // Plain data first, so that nothing below reads a getter or a Proxy.
  checkPlainItems(spec.processes, 'process', 'args', fail);
  checkPlainItems(spec.endpoints, 'endpoint', null, fail);
  checkPlainItems(spec.storage, 'storage object', 'data', fail);
  checkPlainItems(spec.caps, 'capability', 'badge', fail, (badge, label) => {
    if (badge !== undefined && (typeof badge !== 'number' || !Number.isSafeInteger(badge) || badge < 0)) {
      fail(`${label}: badge ${typeof badge === 'string' ? `'${badge}'` : String(badge)} is not an integer from 0 to 2^53 - 1`);
    }
  });
  const labels = new Set<string>();
  const processes = new Set<string>();
  for (const p of spec.processes) {
    if (typeof p?.name !== 'string') fail('a process has no name');
    if (labels.has(p.name)) fail(`the label '${p.name}' is used twice`);
    labels.add(p.name);
    processes.add(p.name);
    const program = spec.programs[p.program];
    if (!program || typeof program.init !== 'function' || typeof program.receive !== 'function') {
      fail(`process '${p.name}' runs program '${p.program}', which the programs table does not define (with init and receive)`);
    }
    if (p.policy?.mode !== undefined && !['permanent', 'transient', 'temporary'].includes(p.policy.mode)) {
      fail(`process '${p.name}' has restart mode '${p.policy.mode}' (use permanent, transient or temporary)`);
    }
  }
  const targets = new Set<string>();
  for (const o of [...(spec.endpoints ?? []), ...(spec.storage ?? [])]) {
    if (labels.has(o.name)) fail(`the label '${o.name}' is used twice`);
    labels.add(o.name);
    targets.add(o.name);
    if (!processes.has(o.owner)) fail(`'${o.name}' is owned by '${o.owner}', which is not a process`);
  }
  if (spec.gatekeepers !== undefined && (!Array.isArray(spec.gatekeepers) || types.isProxy(spec.gatekeepers))) fail('gatekeepers must be a list of labels');
  for (const g of spec.gatekeepers ?? []) {
    if (typeof g !== 'string' || g.length === 0) fail('a gatekeeper label must be a non-empty string');
    if (labels.has(g)) fail(`the label '${g}' is used twice`);
    labels.add(g);
    targets.add(g);
  }
  const held = new Set<string>();
  for (const o of [...(spec.endpoints ?? []), ...(spec.storage ?? [])]) held.add(`${o.owner}\u0000${o.name}`);
  for (const c of spec.caps ?? []) {
    if (!processes.has(c.holder)) fail(`a capability is held by '${c.holder}', which is not a process`);
    const key = `${c.holder}\u0000${c.name}`;
    if (held.has(key)) fail(`'${c.holder}' holds two capabilities named '${c.name}' (a holder's names are unique: its own objects' labels and its capabilities' names)`);
    held.add(key);
    if (!targets.has(c.target)) fail(`'${c.holder}' holds '${c.name}' to '${c.target}', which is not an endpoint, storage object or gatekeeper`);
    if (c.rights !== undefined) {
      try {
        parseRights(c.rights);
      } catch (err) {
        fail(`capability '${c.name}' of '${c.holder}': ${(err as Error).message}`);
      }
    }
  }
  checkClients(spec, new Set((spec.endpoints ?? []).map((e) => e.name)), fail);
  checkServices(spec, fail);
  if (spec.model !== undefined) {
    const m = spec.model as Partial<ClientModel>;
    if (typeof m !== 'object' || m === null || typeof m.init !== 'function' || typeof m.step !== 'function') fail('the model needs init() and step(state, op) functions');
    if (m.key !== undefined && typeof m.key !== 'function') fail("the model's key must be a function of an operation");
  }
  if (spec.reflects !== undefined && typeof spec.reflects !== 'function') fail('reflects must be a function (operation, restored system) giving true or false');
}

/**
 * Services: each provided once, through an endpoint its provider owns; each required one
 * provided; notices on an endpoint the requirer owns; and no cycle of requirements, since
 * providers must start before the processes that require them.
 */
function checkServices(spec: SystemSpec, fail: (what: string) => never): void {
  const providerOf = new Map<string, { process: string; endpoint: string }>();
  const ownerOf = new Map((spec.endpoints ?? []).map((e) => [e.name, e.owner]));
  for (const p of spec.processes) {
    if (p.provides !== undefined && !Array.isArray(p.provides)) fail(`process '${p.name}': provides must be a list of { service, endpoint }`);
    if (p.requires !== undefined && !Array.isArray(p.requires)) fail(`process '${p.name}': requires must be a list of service names`);
    for (const s of p.provides ?? []) {
      if (typeof s?.service !== 'string' || s.service.length === 0) fail(`process '${p.name}' provides a service with no name`);
      if (providerOf.has(s.service)) fail(`service '${s.service}' is provided twice (by '${providerOf.get(s.service)?.process}' and '${p.name}')`);
      if (ownerOf.get(s.endpoint) !== p.name) fail(`process '${p.name}' provides '${s.service}' through '${String(s.endpoint)}', which is not an endpoint it owns`);
      providerOf.set(s.service, { process: p.name, endpoint: s.endpoint });
    }
    if (p.notices !== undefined && ownerOf.get(p.notices) !== p.name) fail(`process '${p.name}' takes service notices on '${p.notices}', which is not an endpoint it owns`);
  }
  const requires = new Map<string, string[]>();
  for (const p of spec.processes) {
    for (const name of p.requires ?? []) {
      const provider = providerOf.get(name);
      if (provider === undefined) fail(`process '${p.name}' requires service '${String(name)}', which no process provides`);
      if (provider.process === p.name) fail(`process '${p.name}' requires service '${name}', which it provides itself`);
    }
    requires.set(p.name, (p.requires ?? []).map((name) => (providerOf.get(name) as { process: string }).process));
  }
  for (const c of spec.caps ?? []) {
    if (c.name.startsWith(SERVICE_CAP_PREFIX) || c.name === SERVICE_NOTICES_NAME) fail(`'${c.holder}' holds a capability named '${c.name}': names beginning '${SERVICE_CAP_PREFIX}' and '${SERVICE_NOTICES_NAME}' are the service manager's`);
  }
  const cycle = findCycle([...requires.keys()], (n) => requires.get(n) ?? []);
  if (cycle !== null) fail(`services require each other in a cycle (${cycle.join(' requires a service of ')}): no provider could start first`);
}

/** A cycle in a dependency graph, as the nodes along it (first repeated last), or null. Bounded by the nodes. */
function findCycle(nodes: readonly string[], next: (n: string) => readonly string[]): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  for (const root of nodes) {
    if (state.has(root)) continue;
    const path: string[] = [];
    const stack: { node: string; at: number }[] = [{ node: root, at: 0 }];
    state.set(root, 'open');
    path.push(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: string; at: number };
      const deps = next(top.node);
      if (top.at >= deps.length) {
        state.set(top.node, 'done');
        stack.pop();
        path.pop();
        continue;
      }
      const dep = deps[top.at++] as string;
      if (state.get(dep) === 'open') return [...path.slice(path.indexOf(dep)), dep];
      if (state.has(dep)) continue;
      state.set(dep, 'open');
      path.push(dep);
      stack.push({ node: dep, at: 0 });
    }
  }
  return null;
}

function checkClients(spec: SystemSpec, endpoints: ReadonlySet<string>, fail: (what: string) => never): void {
  if (spec.clients === undefined) return;
  if (!Array.isArray(spec.clients)) fail('clients must be a list');
  const names = new Set<string>();
  for (const c of spec.clients) {
    if (typeof c?.name !== 'string' || c.name.length === 0) fail('a client has no name');
    if (names.has(c.name)) fail(`the client name '${c.name}' is used twice`);
    names.add(c.name);
    if (typeof c.ops !== 'function') fail(`client '${c.name}' needs ops(i), a function giving its i-th operation or null`);
    if (typeof c.cap?.target !== 'string' || !endpoints.has(c.cap.target)) fail(`client '${c.name}' calls '${String(c.cap?.target)}', which is not an endpoint`);
    let rights: Rights = READ | WRITE;
    if (c.cap.rights !== undefined) {
      try {
        rights = parseRights(c.cap.rights);
      } catch (err) {
        fail(`client '${c.name}': ${(err as Error).message}`);
      }
    }
    if ((rights & READ) === 0) fail(`client '${c.name}' holds '${c.cap.target}' without r: it could not call`);
  }
}

/**
 * Each item of a list in the description must be plain data (no functions, class instances,
 * getters or Proxies); `field` (args, data) is checked first to name it.
 */
function checkPlainItems(list: unknown, kind: string, field: string | null, fail: (what: string) => never, checkField?: (value: unknown, label: string) => void): void {
  if (list === undefined) return;
  if (!Array.isArray(list) || types.isProxy(list)) fail(`the ${kind} list is not an array`);
  const items = list as unknown[];
  for (let i = 0; i < items.length; i++) {
    const d = Object.getOwnPropertyDescriptor(items, i);
    const item: unknown = d !== undefined && 'value' in d ? d.value : undefined;
    const label = `${kind} ${labelOf(item) ?? `#${i + 1}`}`;
    const plain = (value: unknown, what: string): void => {
      try {
        freezePlain(value, Number.MAX_SAFE_INTEGER, PLAIN_DEPTH_MAX);
      } catch (err) {
        fail(`${label}: ${what} ${(err as Error).message.replace(/^not_plain_data: /, 'is not plain data: ')}`);
      }
    };
    if (typeof item !== 'object' || item === null || Array.isArray(item)) fail(`${label} is not an object`);
    if (field !== null) {
      const f = Object.getOwnPropertyDescriptor(item, field);
      if (f !== undefined && !('value' in f)) fail(`${label}: ${field} is a getter, not plain data`);
      checkField?.(f?.value, label);
      if (f !== undefined) plain(f.value, field);
    }
    plain(item, 'its description');
  }
}

const PLAIN_DEPTH_MAX = 32;

/** The item's name, read without calling a getter. */
function labelOf(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null || types.isProxy(item)) return undefined;
  const d = Object.getOwnPropertyDescriptor(item, 'name') ?? Object.getOwnPropertyDescriptor(item, 'holder');
  return d !== undefined && 'value' in d && typeof d.value === 'string' ? `'${d.value}'` : undefined;
}

/** Creates the described processes and objects in `kernel` (none started). */
export function instantiate(kernel: Kernel, spec: SystemSpec): Wiring {
  checkSpec(spec);
  const wiring: Wiring = { processes: new Map(), endpoints: new Map(), storage: new Map(), gatekeepers: new Map(), policies: new Map() };
  for (const p of spec.processes) {
    const pid = kernel.spawn(p.program, p.args ?? [], { persistent: p.persistent ?? true });
    wiring.processes.set(p.name, pid);
    wiring.policies.set(pid, { ...DEFAULT_POLICY, ...(p.policy ?? {}) });
  }
  const ownerSlot = new Map<string, { pid: ObjectId; slot: number }>();
  for (const e of spec.endpoints ?? []) {
    const pid = wiring.processes.get(e.owner) as ObjectId;
    const { id, slot } = kernel.createEndpoint(pid, { name: e.name });
    wiring.endpoints.set(e.name, id);
    ownerSlot.set(e.name, { pid, slot });
  }
  for (const s of spec.storage ?? []) {
    const pid = wiring.processes.get(s.owner) as ObjectId;
    const { id, slot } = kernel.createStorage(pid, s.data, { name: s.name });
    wiring.storage.set(s.name, id);
    ownerSlot.set(s.name, { pid, slot });
  }
  for (const g of spec.gatekeepers ?? []) wiring.gatekeepers.set(g, kernel.createGatekeeper());
  for (const c of spec.caps ?? []) {
    const holder = wiring.processes.get(c.holder) as ObjectId;
    const rights: Rights | undefined = c.rights === undefined ? undefined : parseRights(c.rights);
    const gatekeeper = wiring.gatekeepers.get(c.target);
    if (gatekeeper !== undefined) {
      kernel.grantGatekeeper(gatekeeper, holder, { rights, name: c.name });
      continue;
    }
    const source = ownerSlot.get(c.target) as { pid: ObjectId; slot: number };
    kernel.grant(source.pid, source.slot, holder, { rights, badge: c.badge, name: c.name });
  }
  wireServices(kernel, spec, wiring, ownerSlot);
  return wiring;
}

/**
 * Hands each requirer a capability to each provider it requires, named `service:<name>`, and
 * names its notices endpoint `service-notices`. Named capabilities to an endpoint are what the
 * restart order follows, so providers start before requirers at creation and after every
 * restart; the restart agent's service manager finds requirers by these names.
 */
function wireServices(kernel: Kernel, spec: SystemSpec, wiring: Wiring, ownerSlot: Map<string, { pid: ObjectId; slot: number }>): void {
  const endpointOf = new Map<string, string>();
  for (const p of spec.processes) for (const s of p.provides ?? []) endpointOf.set(s.service, s.endpoint);
  for (const p of spec.processes) {
    const holder = wiring.processes.get(p.name) as ObjectId;
    for (const name of p.requires ?? []) {
      const source = ownerSlot.get(endpointOf.get(name) as string) as { pid: ObjectId; slot: number };
      kernel.grant(source.pid, source.slot, holder, { rights: READ | WRITE, name: `${SERVICE_CAP_PREFIX}${name}` });
    }
    if (p.notices !== undefined) {
      const own = ownerSlot.get(p.notices) as { pid: ObjectId; slot: number };
      kernel.grant(own.pid, own.slot, holder, { rights: WRITE, name: SERVICE_NOTICES_NAME });
    }
  }
}
