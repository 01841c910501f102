/**
 * A reply object is made by `call` and answered at most once. Its capability sits in the
 * callee's c-list; answering, deleting or revoking it (or the callee's death) releases the
 * caller, so that a caller never waits forever. A call made by the host on behalf of a client
 * outside the machine has no calling process (`caller` null): its answer goes to the kernel's
 * host answers, which the host collects between cranks.
 */
import type { ObjectId } from '../ids.ts';
import type { KObjectBase } from './kobject.ts';
import type { Process } from './process.ts';

export class Reply implements KObjectBase {
  readonly kind = 'reply' as const;
  alive = true;
  /** Opaque to the kernel: the checkpoint writer's note of this object as it last wrote it. */
  checkpointSeen: unknown = null;
  used = false;

  constructor(
    readonly id: ObjectId,
    /** The waiting process, or null when a client outside the machine called (Kernel.hostCall). */
    readonly caller: Process | null,
    /** Set when the call went through a weak capability: the answer's capabilities arrive weak. */
    readonly weak: boolean,
  ) {}
}
