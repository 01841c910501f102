/**
 * A capability is (object, rights, badge), held in one place: a process's c-list slot, or a
 * message in transit. Capabilities form a derivation tree (as seL4's mapping database): copy,
 * mint and transfer make a child; revoke removes every descendant; delete removes one node and
 * hands its children to its parent, so an ancestor's revoke still reaches them.
 *
 * The tree is intrusive (parent, first child, sibling links) so that a slot costs one small
 * object and no arrays.
 */
import type { KObject } from '../objects/kobject.ts';
import type { Rights } from './rights.ts';

export interface CapHolder {
  readonly kind: 'process' | 'message';
  /**
   * Set whenever a capability this holder holds changes (slot, name, place in the tree), so an
   * incremental checkpoint re-encodes only holders whose capabilities changed; the checkpoint
   * writer clears it.
   */
  capsTouched: boolean;
}

export class Cap {
  object: KObject;
  rights: Rights;
  badge: number;
  parent: Cap | null = null;
  firstChild: Cap | null = null;
  lastChild: Cap | null = null;
  nextSibling: Cap | null = null;
  prevSibling: Cap | null = null;
  /** The process whose c-list holds this capability, or null while it travels in a message. */
  holder: CapHolder | null = null;
  /** Slot in the holder's c-list; index in the message while in transit. */
  slot = -1;
  /** Name in the holder's named capability set, if registered. */
  name: string | null = null;
  /** Stable identity in the persistent derivation tree; 0 until the capability is first persisted. */
  capId = 0;
  /** False once deleted or revoked: a stale reference to it must never act. */
  live = true;
  /** Identity inside checkpoints, given by the checkpoint writer when first written; 0 before. */
  serial = 0;
  /** Position among its siblings: siblings in derivation order have increasing stamps. */
  stamp = 0;

  constructor(object: KObject, rights: Rights, badge: number) {
    this.object = object;
    this.rights = rights;
    this.badge = badge;
  }
}

/** Marks the capability's holder as changed for the next incremental checkpoint. */
export function touchHolder(cap: Cap): void {
  if (cap.holder !== null) cap.holder.capsTouched = true;
}

/** Makes `child` the last child of `parent`, keeping siblings in creation order. */
export function linkChild(parent: Cap, child: Cap): void {
  // Appending keeps revoke order equal to derivation order, which the trace shows.
  child.parent = parent;
  // Children are only ever appended, so one more than the last child's stamp keeps them increasing.
  child.stamp = (parent.lastChild?.stamp ?? 0) + 1;
  touchHolder(child);
  child.nextSibling = null;
  child.prevSibling = parent.lastChild;
  if (parent.lastChild === null) parent.firstChild = child;
  else parent.lastChild.nextSibling = child;
  parent.lastChild = child;
}

/** Removes `cap` from its parent's child list; its own children are untouched. */
export function unlinkFromParent(cap: Cap): void {
  const parent = cap.parent;
  touchHolder(cap);
  if (cap.prevSibling !== null) cap.prevSibling.nextSibling = cap.nextSibling;
  else if (parent !== null && parent.firstChild === cap) parent.firstChild = cap.nextSibling;
  if (cap.nextSibling !== null) cap.nextSibling.prevSibling = cap.prevSibling;
  else if (parent !== null && parent.lastChild === cap) parent.lastChild = cap.prevSibling;
  cap.parent = null;
  cap.nextSibling = null;
  cap.prevSibling = null;
}

/**
 * Descendants of `root` in depth-first pre-order, at most `visitsMax` of them (the caller
 * turns a hit bound into an error). The list is collected first so that callers may unlink.
 */
export function descendants(root: Cap, visitsMax: number): Cap[] | null {
  const out: Cap[] = [];
  let node = root.firstChild;
  while (node !== null) {
    if (out.length >= visitsMax) return null;
    out.push(node);
    if (node.firstChild !== null) {
      node = node.firstChild;
      continue;
    }
    while (node !== null && node !== root && node.nextSibling === null) node = node.parent;
    if (node === null || node === root) break;
    node = node.nextSibling;
  }
  return out;
}

/** The capability's children, in order. */
export function children(cap: Cap): Cap[] {
  const out: Cap[] = [];
  for (let c = cap.firstChild; c !== null; c = c.nextSibling) out.push(c);
  return out;
}

/** A capability with no parent: the authority an object was created with. */
export function newRootCap(object: KObject, rights: Rights, badge: number): Cap {
  return new Cap(object, rights, badge);
}
