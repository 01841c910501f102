/**
 * A gatekeeper turns sturdy references (tokens, plain data) back into live capabilities
 * (`ctx.restore`). It holds no state of its own: the kernel's sturdy table (kernel/sturdy/)
 * is what it consults, so a capability to any gatekeeper of a system resolves any token of
 * it. The capability is the right to ask; the token decides what is given back.
 */
import type { ObjectId } from '../ids.ts';
import type { KObjectBase } from './kobject.ts';

export class Gatekeeper implements KObjectBase {
  readonly kind = 'gatekeeper' as const;
  alive = true;
  /** Opaque to the kernel: the checkpoint writer's note of this object as it last wrote it. */
  checkpointSeen: unknown = null;

  constructor(readonly id: ObjectId) {}
}
