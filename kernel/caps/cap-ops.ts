/**
 * The changes behind copy, mint, move, delete, revoke and transfer. Callers have already
 * checked everything (syscalls decode first); these only change, and each change pushes its
 * inverse to the journal when one is given (inside a crank), so a faulted crank undoes it.
 */
import { assert } from '../errors.ts';
import type { Journal } from '../journal.ts';
import type { Process } from '../objects/process.ts';
import { Cap, children, descendants, linkChild, touchHolder, unlinkFromParent } from './capability.ts';
import type { Rights } from './rights.ts';

/** What cap operations need from the kernel: change tracking and the reply release. */
export interface CapEnv {
  /** A registration (named set or derivation above a named capability) of `p` changed. */
  registrationChanged(p: Process): void;
  /** A capability was destroyed; for an unused reply this releases the caller. */
  destroyed(cap: Cap, journal: Journal | null): void;
  /** A capability held by no process (a sturdy reference's anchor, say) may have a new persisted ancestor. */
  ancestryChanged(cap: Cap): void;
}

export function derive(parent: Cap, rights: Rights, badge: number, journal: Journal | null): Cap {
  const child = new Cap(parent.object, rights, badge);
  linkChild(parent, child);
  journal?.push(() => {
    unlinkFromParent(child);
    child.live = false;
  });
  return child;
}

export function place(p: Process, slot: number, cap: Cap, journal: Journal | null): void {
  p.cspace.put(slot, cap, p);
  journal?.push(() => {
    p.cspace.clear(slot);
  });
}

export function moveSlot(p: Process, from: number, to: number, journal: Journal | null): void {
  const cap = p.cspace.clear(from);
  assert(cap !== null, 'move from an empty slot');
  p.cspace.put(to, cap, p);
  journal?.push(() => {
    p.cspace.clear(to);
    p.cspace.put(from, cap, p);
  });
}

export function setName(env: CapEnv, p: Process, name: string, cap: Cap | null, journal: Journal | null): void {
  const previous = p.named.get(name) ?? null;
  if (previous === cap) return;
  p.capsTouched = true;
  if (previous !== null) previous.name = null;
  if (cap === null) p.named.delete(name);
  else {
    if (cap.name !== null) p.named.delete(cap.name);
    p.named.set(name, cap);
  }
  const previousNameOfCap = cap?.name ?? null;
  if (cap !== null) cap.name = name;
  journal?.push(() => {
    if (cap !== null) {
      cap.name = previousNameOfCap;
      p.named.delete(name);
      if (previousNameOfCap !== null) p.named.set(previousNameOfCap, cap);
    }
    if (previous !== null) {
      previous.name = name;
      p.named.set(name, previous);
    }
  });
  env.registrationChanged(p);
  // The persisted parent of every named capability below this one may have changed.
  for (const c of [previous, cap]) if (c !== null) markNamedBelow(env, c);
}

function markNamedBelow(env: CapEnv, cap: Cap): void {
  const below = descendants(cap, Number.MAX_SAFE_INTEGER) ?? [];
  for (const d of below) {
    if (d.name !== null && d.holder?.kind === 'process') env.registrationChanged(d.holder as Process);
    else if (d.holder === null) env.ancestryChanged(d);
  }
}

/**
 * Deletes one capability: out of its slot (or message), out of its name, out of the tree.
 * Its children move up to its parent, so that an ancestor's revoke still reaches them.
 */
export function destroy(env: CapEnv, cap: Cap, journal: Journal | null): void {
  assert(cap.live, 'destroying a dead capability');
  const holder = cap.holder;
  if (holder !== null && holder.kind === 'process') {
    const p = holder as Process;
    if (cap.name !== null) setName(env, p, cap.name, null, journal);
    const slot = cap.slot;
    p.cspace.clear(slot);
    journal?.push(() => {
      p.cspace.put(slot, cap, p);
    });
  }
  const parent = cap.parent;
  const prev = cap.prevSibling;
  const kids = children(cap);
  unlinkFromParent(cap);
  for (const kid of kids) {
    unlinkFromParent(kid);
    if (parent !== null) linkChild(parent, kid);
    if (kid.holder === null) env.ancestryChanged(kid);
  }
  cap.live = false;
  journal?.push(() => {
    cap.live = true;
    for (const kid of kids) {
      unlinkFromParent(kid);
      linkChild(cap, kid);
    }
    insertAfter(parent, prev, cap);
  });
  env.destroyed(cap, journal);
}

function insertAfter(parent: Cap | null, prev: Cap | null, cap: Cap): void {
  cap.parent = parent;
  touchHolder(cap);
  if (parent === null) return;
  if (prev === null) {
    cap.prevSibling = null;
    cap.nextSibling = parent.firstChild;
    if (parent.firstChild !== null) parent.firstChild.prevSibling = cap;
    else parent.lastChild = cap;
    parent.firstChild = cap;
    return;
  }
  cap.prevSibling = prev;
  cap.nextSibling = prev.nextSibling;
  if (prev.nextSibling !== null) prev.nextSibling.prevSibling = cap;
  else parent.lastChild = cap;
  prev.nextSibling = cap;
}

/**
 * Removes every capability derived from `cap`, wherever it is, leaves first so that no
 * reparenting happens. Returns how many went, or null when the bound was hit (nothing changed).
 */
export function revoke(env: CapEnv, cap: Cap, visitsMax: number, journal: Journal | null): number | null {
  const below = descendants(cap, visitsMax);
  if (below === null) return null;
  for (let i = below.length - 1; i >= 0; i--) destroy(env, below[i] as Cap, journal);
  return below.length;
}
