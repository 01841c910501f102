/**
 * Object identity. Every kernel object has an ObjectId that is unique and never reused, also
 * across power losses. The kernel draws IDs from a pluggable allocator so that the restart
 * agent can make the counter durable before an ID is handed out.
 */
export type ObjectId = number;

export interface IdAllocator {
  /** The next never-used ID. Must not return an ID twice, ever. */
  next(): ObjectId;
}

/** An in-memory counter: enough for a kernel that never restarts. */
export class CounterAllocator implements IdAllocator {
  private nextId: ObjectId;

  constructor(first: ObjectId = 1) {
    this.nextId = first;
  }

  next(): ObjectId {
    return this.nextId++;
  }

  /** The first ID this allocator has not handed out yet. */
  get highWater(): ObjectId {
    return this.nextId;
  }
}
