/**
 * A message in flight. Its payload is frozen plain data; its capabilities travel as children
 * of the sender's (so a revoke reaches them in transit) and land in free slots of the
 * receiver's c-list at delivery. Each message is charged to one flow-control account.
 */
import type { Cap } from '../caps/capability.ts';
import type { KernelErrorCode } from '../errors.ts';
import type { ObjectId } from '../ids.ts';
import type { Endpoint } from '../objects/endpoint.ts';
import type { Process } from '../objects/process.ts';
import type { Reply } from '../objects/reply.ts';
import type { PlainData } from '../plain-data.ts';

/** send: one-way; call: carries a reply; reply: an answer; error: the kernel's answer for a callee that could not; init: a process's first crank. */
export type MessageKind = 'send' | 'call' | 'reply' | 'error' | 'init';

export class Message {
  readonly kind = 'message' as const;

  constructor(
    readonly seq: number,
    readonly type: MessageKind,
    readonly target: Process,
    readonly endpoint: Endpoint | null,
    readonly badge: number,
    readonly payload: PlainData,
    readonly caps: Cap[] | null,
    readonly reply: Reply | null,
    /** The account charged for this delivery: the process whose input caused it. */
    readonly account: Process,
    /** The sending process's ID, 0 for the host. Kept for the trace only. */
    readonly from: ObjectId,
    readonly error: KernelErrorCode | null,
  ) {}
}
