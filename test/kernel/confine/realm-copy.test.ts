/**
 * Host data handed to a confined program is copied into its realm (realm-setup.ts copyIn): the
 * copy has the same own data properties — names its realm's frozen Object.prototype also has
 * among them — the realm's own prototypes, and is frozen.
 */
import { describe, expect, it } from 'vitest';
import { Realm } from '../../../kernel/confine/realm.ts';

const realm = new Realm({ now: () => 0, random: () => 0 }, 'realm-copy-test');
const { objectPrototype, arrayPrototype } = realm.intrinsics();

describe('copying host data into a realm', () => {
  it('keeps every own property, inherited names included, as plain data properties', () => {
    const host = JSON.parse('{"__proto__": {"x": 1}, "constructor": 2, "toString": 3, "__defineGetter__": 4, "hasOwnProperty": 5, "plain": [6, {"deep": 7}]}') as Record<string, unknown>;
    const copy = realm.adopt(host) as Record<string, unknown>;
    expect(copy).not.toBe(host);
    expect(Object.getPrototypeOf(copy)).toBe(objectPrototype);
    expect(Object.keys(copy)).toEqual(Object.keys(host));
    for (const key of Object.keys(host)) {
      const d = Object.getOwnPropertyDescriptor(copy, key);
      expect(d, key).toMatchObject({ enumerable: true, writable: false, configurable: false });
      expect(JSON.stringify(d?.value), key).toBe(JSON.stringify(host[key]));
    }
    expect(Object.getPrototypeOf(copy['__proto__'])).toBe(objectPrototype);
    expect(Object.getPrototypeOf(copy['plain'])).toBe(arrayPrototype);
    expect(Object.isFrozen(copy)).toBe(true);
    expect(Object.isFrozen(copy['plain'])).toBe(true);
  });
});
