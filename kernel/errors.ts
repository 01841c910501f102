/**
 * Typed kernel errors. Every failure a program can cause is one of these codes, thrown as a
 * KernelError that the program may catch; an uncaught one faults the crank, never the kernel.
 */
export const KERNEL_ERROR_CODES = [
  'invalid_argument', // an argument of the wrong type or shape
  'invalid_slot', // slot number out of range or not an integer
  'empty_slot', // the slot holds no capability
  'slot_occupied', // a destination slot is not free
  'clist_full', // no free slot left in the c-list
  'wrong_kind', // the capability names an object of another kind
  'insufficient_rights', // the capability lacks a right the operation needs
  'rights_amplification', // mint asked for rights the source does not have
  'badge_already_set', // mint tried to re-badge a badged capability
  'not_copyable', // reply capabilities are one-shot and cannot be copied
  'revoked', // the object behind the capability is gone
  'reply_used', // a reply capability answered twice
  'queue_full', // the endpoint's queue is at its bound: slow down and retry later
  'payload_too_large', // payload over the byte limit
  'not_plain_data', // payload or state holds functions, class instances, cycles or undefined
  'too_many_sends', // more sends in one crank than the limit allows
  'too_many_caps', // more capabilities in one message than the limit allows
  'call_pending', // a process may have one outstanding call at a time
  'unknown_name', // no named capability under that name
  'name_invalid', // an empty or over-long capability name
  'too_many_names', // the named capability set is at its bound
  'not_own_store', // a store capability reaches only its own process's record
  'not_in_crank', // ctx used outside the crank it was given for
  'callee_restarted', // the process that owed a reply restarted before answering
  'callee_faulted', // the process that owed a reply faulted
  'no_reply', // the reply capability was dropped without an answer
  'object_limit', // too many kernel objects
  'crank_budget_exceeded', // a handler ran past the crank's step budget (an endless loop, say) and was stopped
  'async_handler', // a handler returned a Promise: handlers are synchronous, a crank ends when they return
  'token_malformed', // a sturdy reference that is not a token at all (wrong type or form)
  'token_refused', // a sturdy reference the gatekeeper does not know, or whose secret does not match
  'token_revoked', // a sturdy reference that was revoked (by its maker, or by a revoke of what it was made from)
] as const;

export type KernelErrorCode = (typeof KERNEL_ERROR_CODES)[number];

export class KernelError extends Error {
  readonly code: KernelErrorCode;

  constructor(code: KernelErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'KernelError';
    this.code = code;
  }
}

/** A host-side misuse of the kernel API (bad wiring, unknown program): not a program's error. */
export class KernelUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelUsageError';
  }
}

/** An internal invariant failed: this is a bug in capsim, never a program's doing. */
export function assert(condition: unknown, what: string): asserts condition {
  if (!condition) violated(what);
}

/**
 * The same failure, for hot paths whose message names values: `if (bad) violated(`...`)` builds
 * the message only on failure, where assert(cond, `...`) built it on every call (a million
 * strings at a 100,000-process boot).
 */
export function violated(what: string): never {
  throw new Error(`capsim kernel invariant violated: ${what}`);
}
