/**
 * The program API: what a program author writes against. A program is registered under a
 * name; `init` makes its first state from its command line, `receive` makes the next state from
 * a delivery. State is plain data. All authority comes through `ctx`, by slot number.
 */
import type { KernelErrorCode } from './errors.ts';
import type { ObjectKind } from './objects/kobject.ts';
import type { PlainData } from './plain-data.ts';

/** A persistent process finds its store capability (its database record) in this slot. */
export const STORE_SLOT = 0;

export interface Delivery {
  /** 'send' one-way; 'call' awaits an answer through `reply`; 'reply' answers this process's call; 'error' means the callee could not answer. */
  readonly type: 'send' | 'call' | 'reply' | 'error';
  readonly badge: number;
  readonly payload: PlainData;
  /** Slots where the carried capabilities landed. */
  readonly caps: readonly number[];
  /** Carried capabilities that found no free slot and were dropped. */
  readonly dropped: number;
  /** For a call: the slot of the one-shot reply capability. */
  readonly reply: number | null;
  /** For type 'error': why no answer came. */
  readonly error: KernelErrorCode | null;
}

export interface CapInfo {
  readonly kind: ObjectKind;
  readonly rights: number;
  readonly badge: number;
}

/** The syscalls. Each checks every argument first and changes nothing when it throws a KernelError. */
export interface Ctx {
  /** The program name, arguments and restart generation of the running process. */
  readonly self: { readonly program: string; readonly args: readonly PlainData[]; readonly generation: number };

  send(slot: number, payload: PlainData, caps?: readonly number[]): void;
  call(slot: number, payload: PlainData, caps?: readonly number[]): void;
  reply(replySlot: number, payload: PlainData, caps?: readonly number[]): void;

  copy(slot: number, to?: number): number;
  mint(slot: number, rights: number, badge?: number, to?: number): number;
  move(slot: number, to: number): void;
  delete(slot: number): void;
  revoke(slot: number): number;
  identify(slot: number): CapInfo | null;
  compare(slotA: number, slotB: number): boolean;
  slots(): number[];

  createEndpoint(): number;
  createStorage(data: PlainData): number;
  read(slot: number): PlainData;
  write(slot: number, data: PlainData): void;

  /** Names the capability in `slot` in this process's registration, through its store capability. */
  register(storeSlot: number, name: string, slot: number): void;
  unregister(storeSlot: number, name: string): void;
  names(storeSlot: number): string[];
  /** The slot of a named capability of this process, or null. */
  lookup(name: string): number | null;

  /**
   * A sturdy reference to the capability in `slot`: a token (plain text) that outlives the
   * power and can be stored, sent or handed to a client; a gatekeeper turns it back into a
   * capability with the same rights and badge. Revoking this capability revokes the token.
   */
  sturdy(slot: number): string;
  /** The capability a token stands for, through a gatekeeper capability (needs r); returns its slot. */
  restore(gatekeeperSlot: number, token: string): number;
  /** Revokes a token this process made: it never resolves again. */
  unsturdy(token: string): void;

  /** A line in the trace (a sturdy reference in it appears without its secret). */
  log(text: string): void;

  /** Ends this process normally once the crank commits (restart policies treat this unlike a fault). */
  exit(): void;
}

/** S is the program's state type; the kernel checks at run time that it is plain data. */
export interface Program<S = PlainData> {
  init(ctx: Ctx, args: readonly PlainData[]): S;
  receive(ctx: Ctx, state: S, message: Delivery): S;
  /**
   * Set by a program that reads its delivery only while receive runs and keeps no reference to
   * it (a confined program copies it into its realm): the kernel then hands it one delivery
   * object, refilled for every crank, rather than a new one each. Unset, every delivery is new.
   */
  readonly borrowsDelivery?: boolean;
}

export type ProgramTable = Readonly<Record<string, Program<any>>>;
