import { describe, expect, test } from 'vitest';
import { Cap, children, descendants, linkChild, newRootCap, unlinkFromParent } from '../../../kernel/caps/capability.ts';
import { Endpoint } from '../../../kernel/objects/endpoint.ts';
import { Process } from '../../../kernel/objects/process.ts';
import { ALL_RIGHTS } from '../../../kernel/index.ts';

function tree(): { root: Cap; a: Cap; b: Cap; a1: Cap; a2: Cap; b1: Cap } {
  const owner = new Process(1, 'p', [], 8);
  const e = new Endpoint(2, owner);
  const mk = (parent: Cap | null): Cap => {
    const c = newRootCap(e, ALL_RIGHTS, 0);
    if (parent !== null) linkChild(parent, c);
    return c;
  };
  const root = mk(null);
  const a = mk(root);
  const b = mk(root);
  const a1 = mk(a);
  const a2 = mk(a);
  const b1 = mk(b);
  return { root, a, b, a1, a2, b1 };
}

describe('derivation tree', () => {
  test('children keep derivation order', () => {
    const t = tree();
    expect(children(t.root)).toEqual([t.a, t.b]);
    expect(children(t.a)).toEqual([t.a1, t.a2]);
  });

  test('descendants are every node below, depth first, and not the root itself', () => {
    const t = tree();
    expect(descendants(t.root, 100)).toEqual([t.a, t.a1, t.a2, t.b, t.b1]);
    expect(descendants(t.a, 100)).toEqual([t.a1, t.a2]);
    expect(descendants(t.a1, 100)).toEqual([]);
  });

  test('descendants gives null when the visit bound is hit', () => {
    const t = tree();
    expect(descendants(t.root, 4)).toBeNull();
    expect(descendants(t.root, 5)).toHaveLength(5);
  });

  test('unlinking a middle child keeps its siblings linked and its own children', () => {
    const t = tree();
    unlinkFromParent(t.a);
    expect(t.a.parent).toBeNull();
    expect(children(t.root)).toEqual([t.b]);
    expect(children(t.a)).toEqual([t.a1, t.a2]);
    unlinkFromParent(t.a2);
    expect(children(t.a)).toEqual([t.a1]);
    expect(t.a.lastChild).toBe(t.a1);
  });

  test('a root capability has no parent and no children', () => {
    const t = tree();
    const fresh = newRootCap(t.root.object, 1, 7);
    expect(fresh.parent).toBeNull();
    expect(fresh.firstChild).toBeNull();
    expect(fresh.badge).toBe(7);
    expect(fresh.live).toBe(true);
  });
});
