/**
 * Swizzling: the one place where live capabilities become persistent references and back.
 * A persistent reference is (target ObjectId, kind, rights, badge, capId, parent capId) —
 * never a slot number, so a restored process may hold it in any slot and find it by name.
 */
import type { Capability, Kernel, KObject, PlainData, Process } from '../kernel/index.ts';
import type { PersistentRef, PlainData as StoredData } from '../store/index.ts';

/** The reference for a named capability; `parent` is its nearest persisted ancestor's capId. */
export function toRef(cap: Capability): PersistentRef {
  if (cap.capId === 0) throw new Error('capsim: a capability is persisted before it has a capId');
  const parent = persistedParent(cap);
  if (parent !== null && parent.capId === 0) throw new Error(`capsim: the persisted ancestor of capability ${cap.capId} has no capId`);
  return { target: cap.object.id, kind: cap.object.kind, rights: cap.rights, badge: cap.badge, capId: cap.capId, parent: parent?.capId ?? null };
}

/** A capability is persisted when a persistent process holds it under a name. */
export function isPersisted(cap: Capability): boolean {
  if (cap.name === null || !cap.live || cap.holder === null || cap.holder.kind !== 'process') return false;
  return (cap.holder as Process).store !== null;
}

/**
 * The nearest persisted ancestor: the parent recorded in the capability's derivation record,
 * so that revoking it after a restart still reaches this one (DESIGN.md I5).
 */
export function persistedParent(cap: Capability): Capability | null {
  for (let a = cap.parent; a !== null; a = a.parent) if (isPersisted(a)) return a;
  return null;
}

/** Boot phase 4: the live object a persistent reference names, or why it cannot become a capability. */
export function unswizzle(kernel: Kernel, ref: PersistentRef): KObject | string {
  const object = kernel.objects.get(ref.target);
  if (!object || !object.alive) return `${ref.kind} ${ref.target} was not restored`;
  if (object.kind !== ref.kind) return `object ${ref.target} is a ${object.kind}, the reference says ${ref.kind}`;
  return object;
}

/**
 * Kernel data is deeply frozen (readonly in its type); the store encodes it without changing
 * it, so handing it over needs only the type to be widened, never a copy.
 */
export function toStoredData(data: PlainData): StoredData {
  return data as StoredData;
}

export function toStoredArgs(args: readonly PlainData[]): StoredData[] {
  return args.map(toStoredData);
}
