/**
 * Random syscalls as plain data, so that they travel to a process in a message and replay from
 * a seed. Slots, rights and badges are drawn mostly valid and sometimes not (negative,
 * fractional, out of range, of the wrong type): every one of them must give a typed error.
 */
import fc from 'fast-check';
import type { PlainData } from '../../../kernel/index.ts';

export type Arg = number | string | null;

export type Op =
  | { op: 'send'; slot: Arg; payload: PlainData; caps: Arg[] | null }
  | { op: 'call'; slot: Arg; answer: 'now' | 'later' | 'delete' | 'throw'; caps: Arg[] | null }
  | { op: 'reply'; slot: Arg; caps: Arg[] | null }
  | { op: 'copy'; slot: Arg; to: Arg }
  | { op: 'mint'; slot: Arg; rights: Arg; badge: Arg; to: Arg }
  | { op: 'move'; slot: Arg; to: Arg }
  | { op: 'delete'; slot: Arg }
  | { op: 'revoke'; slot: Arg }
  | { op: 'identify'; slot: Arg }
  | { op: 'compare'; slot: Arg; other: Arg }
  | { op: 'createEndpoint' }
  | { op: 'createStorage'; data: PlainData }
  | { op: 'read'; slot: Arg }
  | { op: 'write'; slot: Arg; data: PlainData }
  | { op: 'register'; store: Arg; name: Arg; slot: Arg }
  | { op: 'unregister'; store: Arg; name: Arg }
  | { op: 'names'; store: Arg }
  | { op: 'lookup'; name: Arg }
  | { op: 'throw' };

/** Mostly a small valid slot (where the capabilities are), sometimes an invalid one. */
export const slotArb: fc.Arbitrary<Arg> = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: 7 }) },
  { weight: 1, arbitrary: fc.constantFrom<Arg>(-1, 1.5, 1 << 20, '1', null, 1023) },
);

const optSlotArb: fc.Arbitrary<Arg> = fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: slotArb });
/** The store capability sits in slot 0 of a persistent process: aim there mostly. */
const storeArb: fc.Arbitrary<Arg> = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: slotArb });
const capsArb = fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.array(slotArb, { maxLength: 3 }) });
const dataArb: fc.Arbitrary<PlainData> = fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null), fc.record({ k: fc.integer() }));
const nameArb: fc.Arbitrary<Arg> = fc.oneof({ weight: 6, arbitrary: fc.constantFrom<Arg>('a', 'b', 'c') }, { weight: 1, arbitrary: fc.constantFrom<Arg>('', 5, null) });
const rightsArb: fc.Arbitrary<Arg> = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 15 }) }, { weight: 1, arbitrary: fc.constantFrom<Arg>(-1, 16, 2.5, 'rw') });
const badgeArb: fc.Arbitrary<Arg> = fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.constantFrom<Arg>(-1, 0.5) });

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('send' as const), slot: slotArb, payload: dataArb, caps: capsArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('call' as const), slot: slotArb, answer: fc.constantFrom('now' as const, 'later' as const, 'delete' as const, 'throw' as const), caps: capsArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('reply' as const), slot: slotArb, caps: capsArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('copy' as const), slot: slotArb, to: optSlotArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('mint' as const), slot: slotArb, rights: rightsArb, badge: badgeArb, to: optSlotArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('move' as const), slot: slotArb, to: slotArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), slot: slotArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('revoke' as const), slot: slotArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('identify' as const), slot: slotArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('compare' as const), slot: slotArb, other: slotArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('createEndpoint' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('createStorage' as const), data: dataArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('read' as const), slot: slotArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('write' as const), slot: slotArb, data: dataArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('register' as const), store: storeArb, name: nameArb, slot: slotArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unregister' as const), store: storeArb, name: nameArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('names' as const), store: storeArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('lookup' as const), name: nameArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('throw' as const) }) },
);

/** One host step: ops for one process (as a message to its control endpoint), or a host action. */
export type Step =
  | { kind: 'ops'; who: number; ops: Op[]; cranks: number }
  | { kind: 'run'; cranks: number }
  | { kind: 'restart'; who: number }
  | { kind: 'terminate'; who: number };

export function stepArb(processes: number): fc.Arbitrary<Step> {
  const who = fc.integer({ min: 0, max: processes - 1 });
  return fc.oneof(
    { weight: 30, arbitrary: fc.record({ kind: fc.constant('ops' as const), who, ops: fc.array(opArb, { minLength: 1, maxLength: 4 }), cranks: fc.integer({ min: 0, max: 6 }) }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('run' as const), cranks: fc.integer({ min: 1, max: 30 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('restart' as const), who }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('terminate' as const), who }) },
  );
}

/** How the world is wired: per process, persistence, and the rights and badge of its capability to each other process. */
export interface WorldSpec {
  persistent: boolean[];
  links: { rights: number; badge: number }[][];
}

export function worldSpecArb(processes: number): fc.Arbitrary<WorldSpec> {
  const link = fc.record({ rights: fc.integer({ min: 0, max: 15 }), badge: fc.integer({ min: 0, max: 2 }) });
  return fc.record({
    persistent: fc.array(fc.boolean(), { minLength: processes, maxLength: processes }),
    links: fc.array(fc.array(link, { minLength: processes, maxLength: processes }), { minLength: processes, maxLength: processes }),
  });
}
