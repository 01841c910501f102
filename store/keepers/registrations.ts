/**
 * Process registrations, as the Coyotos design keeps them: unique ID, command line (program name
 * and arguments), named capability set, restart policy and generation.
 * Key: r<id hex14>. Wire: [id, program, args, [[name, target, kind, rights, badge, capId]...], [mode, intensity, periodCranks], generation].
 */
import { RESTART_MODES, type PersistentRef, type Registration } from '../records.ts';
import { array, fail, kind, name, objectId, oneOf, plain, record, safeInt, tuple } from '../shape.ts';
import { defineIdKind } from './define.ts';

export const ARGS_MAX = 1024;
export const CAPS_MAX = 4096;
/** Rights are a bitmask; the kernel's bits fit well below this. */
export const RIGHTS_MAX = 0xffff;

function checkRef(value: unknown, field: string): PersistentRef {
  const r = record(value, field);
  return {
    target: objectId(r.target, `${field}.target`),
    kind: kind(r.kind, `${field}.kind`),
    rights: rightsOf(r.rights, `${field}.rights`),
    badge: safeInt(r.badge, `${field}.badge`, Number.MIN_SAFE_INTEGER),
    capId: objectId(r.capId, `${field}.capId`),
  };
}

function rightsOf(value: unknown, field: string): number {
  const rights = safeInt(value, field);
  if (rights > RIGHTS_MAX) fail(`${field} is above ${RIGHTS_MAX}: ${rights}`);
  return rights;
}

function check(value: unknown): Registration {
  const r = record(value, 'registration');
  const caps: Record<string, PersistentRef> = {};
  const names = Object.keys(record(r.caps, 'caps'));
  if (names.length > CAPS_MAX) fail(`more than ${CAPS_MAX} named caps`);
  for (const capName of names) {
    caps[name(capName, 'cap name')] = checkRef((r.caps as Record<string, unknown>)[capName], `caps[${JSON.stringify(capName)}]`);
  }
  const policy = record(r.policy, 'policy');
  return {
    id: objectId(r.id, 'id'),
    program: name(r.program, 'program'),
    args: array(r.args, 'args', ARGS_MAX).map((a, i) => plain(a, `args[${i}]`)),
    caps,
    policy: {
      mode: oneOf(policy.mode, RESTART_MODES, 'policy.mode'),
      intensity: safeInt(policy.intensity, 'policy.intensity'),
      periodCranks: safeInt(policy.periodCranks, 'policy.periodCranks'),
    },
    generation: safeInt(r.generation, 'generation'),
  };
}

export const registrations = defineIdKind<Registration>({
  label: 'registration',
  prefix: 'r',
  check,
  keyOfRecord: (r) => r.id,
  toWire: (r) => [
    r.id,
    r.program,
    r.args,
    Object.entries(r.caps).map(([n, c]) => [n, c.target, c.kind, c.rights, c.badge, c.capId]),
    [r.policy.mode, r.policy.intensity, r.policy.periodCranks],
    r.generation,
  ],
  fromWire(wire) {
    const [id, program, args, caps, policy, generation] = tuple(wire, 'registration', 6);
    const named: Record<string, unknown> = {};
    for (const [i, entry] of array(caps, 'caps', CAPS_MAX).entries()) {
      const [capName, target, capKind, rights, badge, capId] = tuple(entry, `caps[${i}]`, 6);
      named[name(capName, `caps[${i}] name`)] = { target, kind: capKind, rights, badge, capId };
    }
    const [mode, intensity, periodCranks] = tuple(policy, 'policy', 3);
    return { id, program, args, caps: named, policy: { mode, intensity, periodCranks }, generation };
  },
});
