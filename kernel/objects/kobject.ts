/** What every kernel object shares: a never-reused ID and a kind. */
import type { ObjectId } from '../ids.ts';
import type { Endpoint } from './endpoint.ts';
import type { Gatekeeper } from './gatekeeper.ts';
import type { Process } from './process.ts';
import type { Reply } from './reply.ts';
import type { StorageObject } from './storage-object.ts';
import type { StoreObject } from './store-object.ts';

export type ObjectKind = 'process' | 'endpoint' | 'reply' | 'storage' | 'store' | 'gatekeeper';

export const OBJECT_KINDS: readonly ObjectKind[] = ['process', 'endpoint', 'reply', 'storage', 'store', 'gatekeeper'];

export type KObject = Process | Endpoint | Reply | StorageObject | StoreObject | Gatekeeper;

export interface KObjectBase {
  readonly id: ObjectId;
  readonly kind: ObjectKind;
  /** False once destroyed; capabilities to a dead object fail with 'revoked'. */
  alive: boolean;
  /**
   * Opaque to the kernel: the checkpoint writer's note of the object as it last wrote it, kept
   * on the object so an incremental checkpoint finds it without a lookup per object.
   */
  checkpointSeen: unknown;
}
