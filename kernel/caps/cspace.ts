/**
 * A c-list: the capabilities one process holds, addressed only by slot number. Slots grow on
 * demand up to the limit, so an idle process with ten capabilities costs ten slots, not a
 * thousand.
 */
import { KernelError } from '../errors.ts';
import type { Cap, CapHolder } from './capability.ts';

export class CSpace {
  readonly slots: (Cap | null)[] = [];
  private used = 0;

  constructor(private readonly slotsMax: number) {}

  get size(): number {
    return this.used;
  }

  /** The capability in `slot`, or a typed error naming what is wrong. */
  lookup(slot: unknown): Cap {
    if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 0 || slot >= this.slotsMax) {
      throw new KernelError('invalid_slot', `slot ${String(slot)} is not in 0..${this.slotsMax - 1}`);
    }
    const cap = this.slots[slot];
    if (cap === undefined || cap === null) throw new KernelError('empty_slot', `slot ${slot} is empty`);
    return cap;
  }

  /** Checks a destination slot: a valid number and free. */
  checkFree(slot: unknown): number {
    if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 0 || slot >= this.slotsMax) {
      throw new KernelError('invalid_slot', `slot ${String(slot)} is not in 0..${this.slotsMax - 1}`);
    }
    const cap = this.slots[slot];
    if (cap !== undefined && cap !== null) throw new KernelError('slot_occupied', `slot ${slot} is not free`);
    return slot;
  }

  /** The lowest free slot, or a typed error when the c-list is full. */
  firstFree(): number {
    const n = this.slots.length;
    if (this.used < n) {
      for (let i = 0; i < n; i++) if (this.slots[i] === null) return i;
    }
    if (n < this.slotsMax) return n;
    throw new KernelError('clist_full', `all ${this.slotsMax} slots are in use`);
  }

  /** The number of free slots, counting the ones the c-list may still grow into. */
  freeCount(): number {
    return this.slotsMax - this.used;
  }

  put(slot: number, cap: Cap, holder: CapHolder): void {
    while (this.slots.length < slot) this.slots.push(null);
    this.slots[slot] = cap;
    holder.capsTouched = true;
    cap.holder = holder;
    cap.slot = slot;
    this.used++;
  }

  clear(slot: number): Cap | null {
    const cap = this.slots[slot] ?? null;
    if (cap === null) return null;
    this.slots[slot] = null;
    this.used--;
    if (cap.holder !== null) cap.holder.capsTouched = true;
    cap.holder = null;
    cap.slot = -1;
    // Trailing empty slots are dropped so that an emptied c-list gives its memory back.
    while (this.slots.length > 0 && this.slots[this.slots.length - 1] === null) this.slots.pop();
    return cap;
  }

  /** Occupied slots in slot order. */
  *entries(): IterableIterator<[number, Cap]> {
    for (let i = 0; i < this.slots.length; i++) {
      const cap = this.slots[i];
      if (cap) yield [i, cap];
    }
  }
}
