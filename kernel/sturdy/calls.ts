/**
 * The sturdy-reference syscalls, each split as every syscall is: decode (check everything,
 * throw a typed KernelError, change nothing), then invoke (journaled, cannot fail).
 *   sturdy(slot)               a token for the capability in slot (same rights, same badge)
 *   restore(gatekeeper, token) a capability with exactly the token's rights and badge
 *   unsturdy(token)            its maker revokes it
 * A token that is not a token's form is 'token_malformed'; one whose id is unknown or whose
 * secret does not match is 'token_refused' (the same code for both, and the hash is compared
 * either way, so a refusal tells nothing about which ids exist); a revoked one is
 * 'token_revoked' — said only to a holder of the right secret.
 */
import type { Cap } from '../caps/capability.ts';
import { derive, destroy, place } from '../caps/cap-ops.ts';
import { formatRights, READ, usable } from '../caps/rights.ts';
import { KernelError } from '../errors.ts';
import type { Kernel } from '../kernel.ts';
import type { Process } from '../objects/process.ts';
import { hashSecret, NO_HASH, secretMatches } from './secret.ts';
import type { SturdyEntry } from './table.ts';
import { formatToken, parseToken } from './token.ts';

export function makeSturdy(k: Kernel, p: Process, slot: number): string {
  const source = p.cspace.lookup(slot);
  const kind = source.object.kind;
  if (kind === 'reply') throw new KernelError('not_copyable', `slot ${slot} holds a one-shot reply capability`);
  if (kind === 'store') throw new KernelError('wrong_kind', 'a store capability reaches only its own process and is given anew at every boot: it has no sturdy form');
  if (!source.object.alive) throw new KernelError('revoked', `the ${kind} behind slot ${slot} is gone`);
  if (k.sturdy.size >= k.limits.objects_max) throw new KernelError('object_limit', `limit ${k.limits.objects_max} sturdy references`);
  const id = k.newId();
  const secret = k.secrets(id);
  // invoke
  const anchor = derive(source, source.rights, source.badge, k.journal);
  const entry: SturdyEntry = {
    id,
    hash: hashSecret(secret),
    anchor,
    target: source.object.id,
    kind,
    rights: source.rights,
    badge: source.badge,
    maker: p.id,
    createdCrank: k.crankCount,
    revoked: false,
  };
  k.sturdy.add(entry, k.journal);
  k.sturdyChanged(entry, k.journal);
  if (k.trace.enabled) k.record({ crank: k.crankCount, ev: 'sturdy', pid: p.id, op: 'make', token: id, slot });
  return formatToken(id, secret);
}

export function restoreSturdy(k: Kernel, p: Process, gatekeeperSlot: number, token: unknown): number {
  const gate = p.cspace.lookup(gatekeeperSlot);
  if (gate.object.kind !== 'gatekeeper') throw new KernelError('wrong_kind', `slot ${gatekeeperSlot} holds a ${gate.object.kind} capability, not a gatekeeper`);
  if ((usable(gate.rights) & READ) === 0) throw new KernelError('insufficient_rights', `restore needs r on the gatekeeper, the capability has ${formatRights(gate.rights)}`);
  if (!gate.object.alive) throw new KernelError('revoked', 'the gatekeeper is gone');
  const entry = resolve(k, token);
  const anchor = entry.anchor;
  if (anchor === null || !anchor.live || !anchor.object.alive) throw new KernelError('revoked', `what sturdy reference ${entry.id} stands for is gone`);
  const dest = p.cspace.firstFree();
  // invoke: a child of the anchor, so exactly the token's rights and badge, and in reach of every revoke above it.
  const child = derive(anchor, anchor.rights, anchor.badge, k.journal);
  place(p, dest, child, k.journal);
  if (k.trace.enabled) k.record({ crank: k.crankCount, ev: 'sturdy', pid: p.id, op: 'restore', token: entry.id, slot: dest });
  return dest;
}

/**
 * The maker revokes its token. Capabilities already restored from it stay, as children of the
 * capability it was made from: to take those back too, revoke that capability.
 */
export function unsturdy(k: Kernel, p: Process, token: unknown): void {
  const entry = resolve(k, token);
  if (entry.maker !== p.id) throw new KernelError('insufficient_rights', `only the process that made sturdy reference ${entry.id} revokes it by its token; revoking the capability it was made from revokes it too`);
  // invoke
  const anchor: Cap | null = entry.anchor;
  if (anchor !== null && anchor.live) destroy(k, anchor, k.journal); // Kernel.destroyed marks it revoked
  else {
    k.sturdy.markRevoked(entry, k.journal);
    k.sturdyChanged(entry, k.journal);
  }
  if (k.trace.enabled) k.record({ crank: k.crankCount, ev: 'sturdy', pid: p.id, op: 'unsturdy', token: entry.id, slot: -1 });
}

/** Decode shared by restore and unsturdy: the entry a token names, checked, or a typed error. */
function resolve(k: Kernel, token: unknown): SturdyEntry {
  const parsed = parseToken(token);
  if (parsed === null) throw new KernelError('token_malformed', 'a sturdy reference is a string of the form sturdy1-<id>-<32 hex digits>');
  const entry = k.sturdy.get(parsed.id);
  const matches = secretMatches(entry?.hash ?? NO_HASH, parsed.secret);
  if (entry === undefined || !matches) throw new KernelError('token_refused', 'the gatekeeper knows no such sturdy reference');
  if (entry.revoked) throw new KernelError('token_revoked', `sturdy reference ${entry.id} was revoked`);
  return entry;
}
