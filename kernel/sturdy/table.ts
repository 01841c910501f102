/**
 * The kernel's table of sturdy references. Each entry stands for one token: the hash of its
 * secret and what it resolves to. What it resolves to is an *anchor*: a capability held by no
 * process, derived from the capability the token was made from (same rights, same badge). So
 *   - resolving gives a child of the anchor: never more than the token's original capability;
 *   - a revoke of the capability it was made from (or of any ancestor) destroys the anchor,
 *     and the kernel marks the entry revoked (Kernel.destroyed): revocation through the tree;
 *   - deleting that capability hands the anchor to its parent, as with any child: the token
 *     stays good as long as some ancestor of it is alive and unrevoked.
 * Every change is journaled (a crank that faults leaves the table as it was) and marked in the
 * change set, so the commit path writes the entry's record in the crank's batch.
 */
import type { Cap } from '../caps/capability.ts';
import type { Rights } from '../caps/rights.ts';
import type { ObjectId } from '../ids.ts';
import type { Journal } from '../journal.ts';
import type { ObjectKind } from '../objects/kobject.ts';

export interface SturdyEntry {
  readonly id: number;
  /** sha256 of the secret; the secret itself is kept nowhere. */
  readonly hash: Uint8Array;
  /** What resolving derives from; null when its target did not survive a restart. */
  anchor: Cap | null;
  readonly target: ObjectId;
  readonly kind: ObjectKind;
  readonly rights: Rights;
  readonly badge: number;
  /** The process that made it: the one that may revoke it by the token. */
  readonly maker: ObjectId;
  /** The kernel crank it was made in. */
  readonly createdCrank: number;
  revoked: boolean;
}

export class SturdyTable {
  private readonly entries = new Map<number, SturdyEntry>();
  /**
   * Each live anchor's entry. Kept here rather than as a field of every capability: a field
   * would cost every slot of every process 8 bytes for the few capabilities that are anchors.
   */
  private readonly byAnchor = new Map<Cap, SturdyEntry>();

  get size(): number {
    return this.entries.size;
  }

  get(id: number): SturdyEntry | undefined {
    return this.entries.get(id);
  }

  values(): IterableIterator<SturdyEntry> {
    return this.entries.values();
  }

  /** The entry whose anchor `cap` is, if it is one. */
  entryOfAnchor(cap: Cap): SturdyEntry | undefined {
    return this.byAnchor.size === 0 ? undefined : this.byAnchor.get(cap);
  }

  add(entry: SturdyEntry, journal: Journal | null): void {
    this.entries.set(entry.id, entry);
    const anchor = entry.anchor;
    if (anchor !== null) this.byAnchor.set(anchor, entry);
    journal?.push(() => {
      this.entries.delete(entry.id);
      if (anchor !== null) this.byAnchor.delete(anchor);
    });
  }

  markRevoked(entry: SturdyEntry, journal: Journal | null): void {
    if (entry.revoked) return;
    entry.revoked = true;
    const anchor = entry.anchor;
    entry.anchor = null;
    if (anchor !== null) this.byAnchor.delete(anchor);
    journal?.push(() => {
      entry.revoked = false;
      entry.anchor = anchor;
      if (anchor !== null) this.byAnchor.set(anchor, entry);
    });
  }
}
