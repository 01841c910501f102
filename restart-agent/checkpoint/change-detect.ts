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

/**
 * A variant of change detection, injected by its System (SystemOptions.variant): a deliberately
 * broken agent (broken-variants.ts) judges differently which objects a checkpoint re-encodes.
 */
export interface ChangeVariant {
  mustEncode(o: KObject, previous: Signature | undefined): boolean;
}

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
    case 'gatekeeper':
      return [o.alive];
  }
}

/** Compares an object with its remembered signature field by field, allocating nothing: most objects did not change. */
export function matchesSignature(o: KObject, sig: Signature): boolean {
  switch (o.kind) {
    case 'process':
      return (
        sig[0] === o.alive && sig[1] === o.state && sig[2] === o.status && sig[3] === o.generation && sig[4] === o.debt && sig[5] === o.lastFault &&
        sig[6] === o.store && sig[7] === o.awaiting && sig[8] === o.answer && sig[9] === o.inbox.length && sig[10] === o.inbox.peek() && sig[11] === o.inbox.peekLast()
      );
    case 'endpoint':
      return sig[0] === o.alive && sig[1] === o.owner && sig[2] === o.pending;
    case 'reply':
      return sig[0] === o.alive && sig[1] === o.caller && sig[2] === o.used && sig[3] === o.weak;
    case 'storage':
      return sig[0] === o.alive && sig[1] === o.data && sig[2] === o.version;
    case 'store':
      return sig[0] === o.alive && sig[1] === o.owner;
    case 'gatekeeper':
      return sig[0] === o.alive;
  }
}

/** The program state a process's signature recorded. */
export function programStateIn(processSignature: Signature): unknown {
  return processSignature[1];
}

/** True when the object must be encoded again: its fields changed, or it is a process whose capabilities may have. */
export function mustEncode(o: KObject, previous: Signature | undefined): boolean {
  if (previous === undefined || !matchesSignature(o, previous)) return true;
  return o.kind === 'process' && (o.capsTouched || carriesCaps(o));
}
