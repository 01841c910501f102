/**
 * Which objects changed since the last checkpoint, without encoding them: each object's
 * mutable fields, by identity. Program states, payloads and arguments are frozen plain data
 * that a crank replaces and never edits, so identity is exact for them; an inbox is a FIFO
 * queue, so its length with its first and last message pins its contents. What identity cannot
 * see — a capability's slot, name or place in the derivation tree, and the liveness of a
 * capability travelling in a queued message — is caught by CapHolder.capsTouched and by
 * re-encoding every process with capabilities in its queue.
 */
import type { KObject } from '../../kernel/index.ts';
import { carriesCaps } from './object-codec.ts';

export type Signature = unknown[];

export function signatureOf(o: KObject): Signature {
  switch (o.kind) {
    case 'process':
      return [o.alive, o.state, o.status, o.generation, o.debt, o.lastFault, o.store, o.awaiting, o.answer, o.inbox.length, o.inbox.peek(), o.inbox.peekLast()];
    case 'endpoint':
      return [o.alive, o.owner, o.pending];
    case 'reply':
      return [o.alive, o.caller, o.used, o.weak];
    case 'storage':
      return [o.alive, o.data, o.version];
    case 'store':
      return [o.alive, o.owner];
  }
}

export function sameSignature(a: Signature, b: Signature): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** True when the object must be encoded again: its fields changed, or it is a process whose capabilities may have. */
export function mustEncode(o: KObject, previous: Signature | undefined, now: Signature): boolean {
  if (previous === undefined || !sameSignature(previous, now)) return true;
  return o.kind === 'process' && (o.capsTouched || carriesCaps(o));
}
