/** fast-check arbitraries for every record kind, composed from small ones. */
import fc from 'fast-check';
import { OBJECT_KINDS, RESTART_MODES, type ObjectRecord, type PersistentRef, type PlainData, type Registration, type StorageRecord } from '../../store/index.ts';

export const objectId = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.maxSafeNat());

/** Names: any well-formed string, astral planes included, never empty. */
export const name = fc.string({ unit: 'binary', minLength: 1, maxLength: 24 });

const number = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)),
);

export const plainData: fc.Arbitrary<PlainData> = fc.letrec<{ value: PlainData }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    number,
    fc.string({ unit: 'binary', maxLength: 16 }),
    fc.uint8Array({ maxLength: 16 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }).filter((k) => k !== '__proto__'), tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

export const objectKind = fc.constantFrom(...OBJECT_KINDS);

export const persistentRef: fc.Arbitrary<PersistentRef> = fc.record({
  target: objectId,
  kind: objectKind,
  rights: fc.integer({ min: 0, max: 15 }),
  badge: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.maxSafeInteger()),
  capId: objectId,
  parent: fc.option(objectId, { nil: null }),
});

export const registration: fc.Arbitrary<Registration> = fc.record({
  id: objectId,
  program: name,
  args: fc.array(plainData, { maxLength: 4 }),
  caps: fc.dictionary(name.filter((k) => k !== '__proto__'), persistentRef, { maxKeys: 5, noNullPrototype: true }),
  policy: fc.record({ mode: fc.constantFrom(...RESTART_MODES), intensity: fc.nat(10), periodCranks: fc.nat(10_000) }),
  generation: fc.nat(),
});

export const objectRecord: fc.Arbitrary<ObjectRecord> = fc.record({ id: objectId, kind: objectKind, owner: fc.option(objectId, { nil: null }) });

export const storageRecord: fc.Arbitrary<StorageRecord> = fc.record({ id: objectId, version: fc.nat(), data: plainData });
