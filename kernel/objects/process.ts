/**
 * A process: a program (by registered name) with its command line, its plain-data state, its
 * c-list and its named capability set. It never sees an ObjectId: only slots.
 *
 * Status: 'new' until init has run; 'ready' between cranks; 'waiting' while its call is
 * unanswered (only the answer is delivered then); 'faulted' after a crank threw and until a
 * restart policy acts; 'exited' once terminated for good.
 */
import type { Cap } from '../caps/capability.ts';
import { CSpace } from '../caps/cspace.ts';
import type { ObjectId } from '../ids.ts';
import { Inbox } from '../ipc/inbox.ts';
import type { Message } from '../ipc/message.ts';
import type { PlainData } from '../plain-data.ts';
import type { SyscallContext } from '../syscalls.ts';
import type { KObjectBase } from './kobject.ts';
import type { Reply } from './reply.ts';
import type { StoreObject } from './store-object.ts';

export type ProcessStatus = 'new' | 'ready' | 'waiting' | 'faulted' | 'exited';

export class Process implements KObjectBase {
  readonly kind = 'process' as const;
  alive = true;
  /** Opaque to the kernel: the checkpoint writer's note of this object as it last wrote it. */
  checkpointSeen: unknown = null;
  status: ProcessStatus = 'new';
  state: PlainData = null;
  readonly cspace: CSpace;
  /** The named capability set: names for capabilities in this c-list. */
  readonly named = new Map<string, Cap>();
  /** Set for a persistent process: its handle to its record in the trusted database. */
  store: StoreObject | null = null;
  readonly inbox = new Inbox();
  /** The answer to this process's outstanding call, delivered before anything else. */
  answer: Message | null = null;
  /** The reply object of this process's outstanding call. */
  awaiting: Reply | null = null;
  /** Flow control: messages charged to this process's account and not yet processed. */
  debt = 0;
  /** Scheduler bookkeeping: whether this process sits in the ready structure. */
  scheduled = false;
  /** How many times this process was started anew (restart policy, power loss). */
  generation = 0;
  /** The last fault's message, for reports. */
  lastFault: string | null = null;
  /**
   * Opaque to the kernel: what the host side of this process's program keeps for it (a confined
   * module's instance of itself), kept here because a lookup by process cost a tenth of a crank.
   */
  programInstance: unknown = null;
  /** The kernel's ctx for this incarnation's cranks (syscalls.ts), made at its first crank. */
  syscalls: SyscallContext | null = null;
  /** See CapHolder: true until a checkpoint has encoded this process's capabilities. */
  capsTouched = true;

  constructor(
    readonly id: ObjectId,
    readonly program: string,
    readonly args: readonly PlainData[],
    slotsMax: number,
  ) {
    this.cspace = new CSpace(slotsMax);
  }

  /** Has something to deliver and may be run (flow control aside). */
  get runnable(): boolean {
    if (this.status === 'waiting') return this.answer !== null;
    if (this.status === 'ready') return this.inbox.length > 0;
    return false;
  }
}
