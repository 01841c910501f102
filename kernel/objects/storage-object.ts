/**
 * A storage object holds plain data in the object store. The kernel keeps the live copy; the
 * restart agent writes it to the database at a crank boundary when its version moved.
 */
import type { ObjectId } from '../ids.ts';
import type { PlainData } from '../plain-data.ts';
import type { KObjectBase } from './kobject.ts';

export class StorageObject implements KObjectBase {
  readonly kind = 'storage' as const;
  alive = true;
  /** Opaque to the kernel: the checkpoint writer's note of this object as it last wrote it. */
  checkpointSeen: unknown = null;

  constructor(
    readonly id: ObjectId,
    public data: PlainData,
    public version: number,
  ) {}
}
