/**
 * A system description, in the spirit of capDL: the programs, the processes with their command
 * lines, the endpoints and storage objects they own, and who holds which capability under
 * which name. It is plain data plus the program table, so an example or a user's module can
 * declare a whole system, and `instantiate` wires it into a kernel.
 */
import { parseRights, type Rights } from './caps/rights.ts';
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
}

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
  /** An endpoint or storage label. */
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

export interface SystemSpec {
  name: string;
  description: string;
  programs: ProgramTable;
  processes: ProcessSpec[];
  endpoints?: ObjectSpec[];
  storage?: StorageSpec[];
  caps?: CapSpec[];
  /** The i-th external input, or null when there are no more; fed whenever the system is idle. */
  input?: (i: number) => InputSpec | null;
}

export interface Wiring {
  processes: Map<string, ObjectId>;
  endpoints: Map<string, ObjectId>;
  storage: Map<string, ObjectId>;
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
  const held = new Set<string>();
  for (const o of [...(spec.endpoints ?? []), ...(spec.storage ?? [])]) held.add(`${o.owner}\u0000${o.name}`);
  for (const c of spec.caps ?? []) {
    if (!processes.has(c.holder)) fail(`a capability is held by '${c.holder}', which is not a process`);
    const key = `${c.holder}\u0000${c.name}`;
    if (held.has(key)) fail(`'${c.holder}' holds two capabilities named '${c.name}' (a holder's names are unique: its own objects' labels and its capabilities' names)`);
    held.add(key);
    if (!targets.has(c.target)) fail(`'${c.holder}' holds '${c.name}' to '${c.target}', which is not an endpoint or storage object`);
    if (c.rights !== undefined) {
      try {
        parseRights(c.rights);
      } catch (err) {
        fail(`capability '${c.name}' of '${c.holder}': ${(err as Error).message}`);
      }
    }
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
  const wiring: Wiring = { processes: new Map(), endpoints: new Map(), storage: new Map(), policies: new Map() };
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
  for (const c of spec.caps ?? []) {
    const source = ownerSlot.get(c.target) as { pid: ObjectId; slot: number };
    const holder = wiring.processes.get(c.holder) as ObjectId;
    const rights: Rights | undefined = c.rights === undefined ? undefined : parseRights(c.rights);
    kernel.grant(source.pid, source.slot, holder, { rights, badge: c.badge, name: c.name });
  }
  return wiring;
}
