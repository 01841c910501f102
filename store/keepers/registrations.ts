/**
 * Process registrations, as the Coyotos design keeps them: unique ID, command line (program name
 * and arguments), named capability set, restart policy and generation.
 * Key: r<id hex14>. Wire: [id, program, args, [[name, target, kind, rights, badge, capId, parent]...], [mode, intensity, periodCranks], generation].
 */
import { RESTART_MODES, type PersistentRef, type PlainData, type Registration } from '../records.ts';
import { array, fail, kind, name, objectId, oneOf, plain, record, safeInt, tuple } from '../shape.ts';
import { defineIdKind, type KindSpec } from './define.ts';

export const ARGS_MAX = 1024;
export const CAPS_MAX = 4096;
/** Rights are a bitmask; the kernel's bits fit well below this. */
export const RIGHTS_MAX = 0xffff;

function checkRef(value: unknown): PersistentRef {
  const r = record(value, 'ref');
  return {
    target: objectId(r.target, 'target'),
    kind: kind(r.kind, 'kind'),
    rights: rightsOf(r.rights),
    badge: safeInt(r.badge, 'badge', Number.MIN_SAFE_INTEGER),
    capId: objectId(r.capId, 'capId'),
    parent: r.parent === null ? null : objectId(r.parent, 'parent'),
  };
}

/**
 * A named capability set as an object keyed by name. Null-prototype objects start in V8's
 * dictionary mode: cap names differ from process to process, and ordinary objects would get a
 * hidden class per distinct set of names — measured at 27 µs per registration instead of 4.
 */
function namedSet<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function rightsOf(value: unknown): number {
  const rights = safeInt(value, 'rights');
  if (rights > RIGHTS_MAX) fail(`rights are above ${RIGHTS_MAX}: ${rights}`);
  return rights;
}

/** Field names are constants on the hot path; the cap or arg at fault is named only on failure. */
function within<T>(where: () => string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    return fail(`${where()}: ${(error as Error).message}`);
  }
}

function check(value: unknown): Registration {
  const r = record(value, 'registration');
  const source = record(r.caps, 'caps');
  const caps = namedSet<PersistentRef>();
  let count = 0;
  for (const capName in source) {
    if (++count > CAPS_MAX) fail(`more than ${CAPS_MAX} named caps`);
    const ref = source[capName];
    caps[name(capName, 'cap name')] = within(() => `caps[${JSON.stringify(capName)}]`, () => checkRef(ref));
  }
  const rawArgs = array(r.args, 'args', ARGS_MAX);
  const args: PlainData[] = new Array<PlainData>(rawArgs.length);
  for (let i = 0; i < rawArgs.length; i++) args[i] = within(() => `args[${i}]`, () => plain(rawArgs[i], 'arg'));
  const policy = record(r.policy, 'policy');
  return {
    id: objectId(r.id, 'id'),
    program: name(r.program, 'program'),
    args,
    caps,
    policy: {
      mode: oneOf(policy.mode, RESTART_MODES, 'policy.mode'),
      intensity: safeInt(policy.intensity, 'policy.intensity'),
      periodCranks: safeInt(policy.periodCranks, 'policy.periodCranks'),
    },
    generation: safeInt(r.generation, 'generation'),
  };
}

function capsToWire(caps: Record<string, PersistentRef>): unknown[] {
  const out: unknown[] = [];
  for (const n in caps) {
    const c = caps[n]!;
    out.push([n, c.target, c.kind, c.rights, c.badge, c.capId, c.parent]);
  }
  return out;
}

/**
 * One pass from the wire tuple to a checked registration: boot reads every registration, and
 * building a record only to check it into a second copy doubled the work and the garbage.
 */
function fromWireChecked(wire: unknown): Registration {
  const [id, program, args, caps, policy, generation] = tuple(wire, 'registration', 6);
  const named = namedSet<PersistentRef>();
  const entries = array(caps, 'caps', CAPS_MAX);
  let at = 0;
  try {
    // No closure per entry on this path: the entry at fault is named only when one fails.
    for (; at < entries.length; at++) {
      const [capName, target, capKind, rights, badge, capId, parent] = tuple(entries[at], 'cap entry', 7);
      named[name(capName, 'cap name')] = {
        target: objectId(target, 'target'),
        kind: kind(capKind, 'kind'),
        rights: rightsOf(rights),
        badge: safeInt(badge, 'badge', Number.MIN_SAFE_INTEGER),
        capId: objectId(capId, 'capId'),
        parent: parent === null ? null : objectId(parent, 'parent'),
      };
    }
  } catch (error) {
    fail(`caps entry ${at}: ${(error as Error).message}`);
  }
  const rawArgs = array(args, 'args', ARGS_MAX);
  const checkedArgs: PlainData[] = new Array<PlainData>(rawArgs.length);
  for (let i = 0; i < rawArgs.length; i++) checkedArgs[i] = within(() => `args[${i}]`, () => plain(rawArgs[i], 'arg'));
  const [mode, intensity, periodCranks] = tuple(policy, 'policy', 3);
  return {
    id: objectId(id, 'id'),
    program: name(program, 'program'),
    args: checkedArgs,
    caps: named,
    policy: {
      mode: oneOf(mode, RESTART_MODES, 'policy.mode'),
      intensity: safeInt(intensity, 'policy.intensity'),
      periodCranks: safeInt(periodCranks, 'policy.periodCranks'),
    },
    generation: safeInt(generation, 'generation'),
  };
}

/** The registration record kind's parts (exported so tests can hold its two read paths side by side). */
export const registrationSpec: KindSpec<number, Registration> = {
  label: 'registration',
  prefix: 'r',
  check,
  keyOfRecord: (r) => r.id,
  toWire: (r) => [
    r.id,
    r.program,
    r.args,
    capsToWire(r.caps),
    [r.policy.mode, r.policy.intensity, r.policy.periodCranks],
    r.generation,
  ],
  fromWire(wire) {
    const [id, program, args, caps, policy, generation] = tuple(wire, 'registration', 6);
    const named = namedSet<unknown>();
    const entries = array(caps, 'caps', CAPS_MAX);
    for (let i = 0; i < entries.length; i++) {
      const [capName, target, capKind, rights, badge, capId, parent] = tuple(entries[i], 'cap entry', 7);
      named[name(capName, 'cap name')] = { target, kind: capKind, rights, badge, capId, parent };
    }
    const [mode, intensity, periodCranks] = tuple(policy, 'policy', 3);
    return { id, program, args, caps: named, policy: { mode, intensity, periodCranks }, generation };
  },
  fromWireChecked,
};

export const registrations = defineIdKind<Registration>(registrationSpec);
