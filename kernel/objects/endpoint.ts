/**
 * An endpoint is where messages to one process arrive. Its owner runs the handler for every
 * delivery through it; senders tell themselves apart by the badge on their capability. The
 * queue bound is counted here (messages accepted but not yet delivered).
 */
import type { ObjectId } from '../ids.ts';
import type { KObjectBase } from './kobject.ts';
import type { Process } from './process.ts';

export class Endpoint implements KObjectBase {
  readonly kind = 'endpoint' as const;
  alive = true;
  /** Opaque to the kernel: the checkpoint writer's note of this object as it last wrote it. */
  checkpointSeen: unknown = null;
  /** Messages sent to this endpoint and not yet delivered, bounded by limits.queue_length_max. */
  pending = 0;

  constructor(
    readonly id: ObjectId,
    public owner: Process,
  ) {}
}
