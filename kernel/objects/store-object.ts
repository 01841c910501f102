/**
 * The store object is a process's handle to its own record in the trusted capability
 * database: through it the process names capabilities (its named capability set) and finds
 * them again by name after a restart. The kernel only models it; the restart agent persists it.
 */
import type { ObjectId } from '../ids.ts';
import type { KObjectBase } from './kobject.ts';
import type { Process } from './process.ts';

export class StoreObject implements KObjectBase {
  readonly kind = 'store' as const;
  alive = true;
  /** Opaque to the kernel: the checkpoint writer's note of this object as it last wrote it. */
  checkpointSeen: unknown = null;

  constructor(
    readonly id: ObjectId,
    readonly owner: Process,
  ) {}
}
