/**
 * Never-reused ObjectIds across power losses (DESIGN.md I6). The kernel needs IDs
 * synchronously; the store can only promise durability asynchronously. So the agent reserves
 * a block durably (the store syncs the new high-water mark before answering) and the kernel
 * draws from it; before every crank the agent tops the block up, so a crank never runs dry.
 * A power loss wastes the rest of a block, never reuses it.
 */
import type { IdAllocator, ObjectId } from '../kernel/index.ts';

/**
 * A variant of the allocator, injected by its System (SystemOptions.variant): a deliberately
 * broken agent (broken-variants.ts) may start a boot's IDs elsewhere than the store reserved.
 */
export interface IdVariant {
  /** The first ID `allocator` hands out, given the first of its first reservation. */
  firstId(allocator: DurableAllocator, reserved: ObjectId): ObjectId;
}

export interface IdReserver {
  reserveIds(count: number): Promise<{ first: ObjectId; end: ObjectId }>;
}

/**
 * IDs asked of the store at a time. The store syncs its high-water mark in blocks of its own;
 * this is how far ahead the agent draws, so that a top-up is an await every few thousand
 * objects rather than one per crank.
 */
export const IDS_PER_RESERVATION = 4096;
/** Top up when fewer than this remain: more than any one crank or boot step can use. */
export const ID_LOW_WATER = 1024;

export class DurableAllocator implements IdAllocator {
  private nextId = 0;
  private end = 0;
  /** The highest ID handed out so far, for the unique-ID invariant. */
  highestIssued = 0;

  constructor(
    private readonly store: IdReserver,
    private readonly variant: IdVariant | null = null,
  ) {}

  /** The next ID that will be handed out. */
  peek(): ObjectId {
    return this.nextId;
  }

  get remaining(): number {
    return this.end - this.nextId;
  }

  next(): ObjectId {
    if (this.nextId >= this.end) {
      // The agent tops up before every crank; running dry means a bug in capsim, not a program.
      throw new Error(`capsim: the durable ID reservation ran out at ${this.nextId}`);
    }
    const id = this.nextId++;
    this.highestIssued = id;
    return id;
  }

  /** Makes sure at least `needed` IDs are reserved durably. */
  async ensure(needed: number = ID_LOW_WATER): Promise<void> {
    if (this.remaining >= needed) return;
    const { first, end } = await this.store.reserveIds(Math.max(IDS_PER_RESERVATION, needed));
    this.nextId = this.end === 0 && this.variant !== null ? this.variant.firstId(this, first) : first;
    this.end = end;
  }
}
