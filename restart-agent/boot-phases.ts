/**
 * Boot phases 3 and 4 (see boot.ts for the protocol): create shells under their original IDs,
 * fill c-lists from the named capability sets, and relink the derivation tree. They write
 * nothing to the store; they are in their own functions so that each phase reads (and
 * profiles) on its own.
 */
import { STORE_SLOT, type Capability, type Kernel, type RestartPolicy } from '../kernel/index.ts';
import type { Registration } from '../store/index.ts';
import type { ReadRecords } from './boot.ts';
import type { CommitBook } from './commit-path.ts';
import type { LostReference, Quarantined } from './report.ts';
import { unswizzle } from './swizzle.ts';

/** Phase 3: processes (with new store objects), endpoints and storage objects. */
export function createShells(kernel: Kernel, read: ReadRecords, book: CommitBook): { restored: Registration[]; quarantined: Quarantined[]; endpoints: number } {
  const restored: Registration[] = [];
  const quarantined: Quarantined[] = [];
  for (const r of read.registrations) {
    if (!Object.prototype.hasOwnProperty.call(kernel.programs, r.program)) {
      quarantined.push({ record: `registration ${r.id}`, reason: `program '${r.program}' is not registered` });
      continue;
    }
    kernel.spawn(r.program, r.args as never[], { id: r.id });
    const p = kernel.process(r.id);
    p.generation = r.generation;
    // The store object gets a fresh ID each boot: no reference can name it, so none needs to last.
    kernel.makePersistent(p);
    book.policies.set(r.id, r.policy as RestartPolicy);
    restored.push(r);
  }
  let endpoints = 0;
  for (const o of read.objects) {
    if (o.kind === 'gatekeeper') {
      kernel.restoreGatekeeper(o.id);
      book.persistedObjects.add(o.id);
      continue;
    }
    if (o.kind !== 'endpoint' || o.owner === null) continue;
    const owner = kernel.objects.get(o.owner);
    if (!owner || owner.kind !== 'process') continue;
    kernel.restoreEndpoint(o.id, o.owner);
    book.persistedObjects.add(o.id);
    endpoints++;
  }
  for (const s of read.storage) {
    kernel.restoreStorage(s.id, s.data as never, s.version);
    book.persistedObjects.add(s.id);
  }
  return { restored, quarantined, endpoints };
}

/** Restored capabilities and, index for index, the capId each one's reference names as parent. */
export interface Filled {
  caps: Capability[];
  parents: (number | null)[];
  /** Per restored registration, index for index, its cap names sorted (the report lists them too). */
  names: string[][];
}

/**
 * Phase 4a: each registration's named references, in name order from slot 1 (slot 0 holds the
 * store capability). A reference to something not restored becomes an empty slot and a line.
 */
export function fillCLists(kernel: Kernel, restored: readonly Registration[], lostRefs: LostReference[]): Filled {
  const filled: Filled = { caps: [], parents: [], names: [] };
  for (const r of restored) {
    const p = kernel.process(r.id);
    let slot = STORE_SLOT + 1;
    const names = Object.keys(r.caps).sort();
    filled.names.push(names);
    for (const name of names) {
      const ref = r.caps[name] as Registration['caps'][string];
      const object = unswizzle(kernel, ref);
      if (typeof object === 'string') {
        lostRefs.push({ pid: r.id, program: r.program, name, target: ref.target, reason: object });
        continue;
      }
      filled.caps.push(kernel.restoreCap(p, slot++, object, ref.rights, ref.badge, name, ref.capId));
      filled.parents.push(ref.parent);
    }
  }
  return filled;
}

/**
 * Phase 4b: hangs each restored capability under its parent. A parent that was not restored
 * (its holder quarantined, the reference lost) is passed over for the nearest ancestor that
 * was, by walking the parent links of every reference read. Siblings are linked in
 * registration then name order: the same on every boot of the same database.
 */
export function linkDerivations(kernel: Kernel, registrations: readonly Registration[], filled: Filled): void {
  // Only capabilities that are someone's parent need finding by capId: far fewer than all.
  const parentIds = new Set<number>();
  for (const id of filled.parents) if (id !== null) parentIds.add(id);
  const byCapId = new Map<number, Capability>();
  for (const cap of filled.caps) if (parentIds.has(cap.capId)) byCapId.set(cap.capId, cap);
  // Rare (quarantine, lost references): only then are the full maps worth building.
  let walk: { parentOf: Map<number, number | null>; all: Map<number, Capability> } | null = null;
  for (let i = 0; i < filled.caps.length; i++) {
    const parentId = filled.parents[i] ?? null;
    if (parentId === null) continue;
    let parent = byCapId.get(parentId);
    if (parent === undefined) {
      walk ??= { parentOf: allParents(registrations), all: new Map(filled.caps.map((c) => [c.capId, c])) };
      parent = nearestRestored(parentId, walk.parentOf, walk.all);
    }
    if (parent !== undefined) kernel.linkDerivation(filled.caps[i] as Capability, parent);
  }
}

function allParents(registrations: readonly Registration[]): Map<number, number | null> {
  const parentOf = new Map<number, number | null>();
  for (const r of registrations) for (const ref of Object.values(r.caps)) parentOf.set(ref.capId, ref.parent);
  return parentOf;
}

/** From an unrestored capId up its recorded parents; bounded by the number of references. */
function nearestRestored(capId: number, parentOf: Map<number, number | null>, restored: Map<number, Capability>): Capability | undefined {
  let at: number | null = parentOf.get(capId) ?? null;
  for (let hops = 0; at !== null && hops <= parentOf.size; hops++) {
    const cap = restored.get(at);
    if (cap !== undefined) return cap;
    at = parentOf.get(at) ?? null;
  }
  return undefined;
}
