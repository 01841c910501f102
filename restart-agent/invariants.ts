/**
 * Invariant checks on a restarted kernel (DESIGN.md). Each returns 'ok' or one sentence
 * naming the first violation found. They read the kernel and the records the boot read; the
 * history-based ones (I1, I2, I5, I6) also need the observer.
 */
import { createHash } from 'node:crypto';
import { isDiminished, type Capability, type Kernel, type ObjectId } from '../kernel/index.ts';
import type { Registration } from '../store/index.ts';
import type { Observer, RecordKey } from './observer.ts';
import type { LostReference } from './report.ts';

function parsed<T>(records: Map<RecordKey, string>, prefix: string): T[] {
  const out: T[] = [];
  for (const [key, value] of records) if (key.startsWith(prefix)) out.push(JSON.parse(value) as T);
  return out;
}

/** I3: the restored capability graph equals the persisted one, edge for edge. */
export function checkFidelity(kernel: Kernel, records: Map<RecordKey, string>, lost: readonly LostReference[], quarantinedPids: ReadonlySet<ObjectId>): string {
  const lostSet = new Set(lost.map((l) => `${l.pid}/${l.name}`));
  const registrations = parsed<Registration>(records, 'registration/');
  for (const r of registrations) {
    if (quarantinedPids.has(r.id)) continue;
    const p = kernel.objects.get(r.id);
    if (!p || p.kind !== 'process') return `registration ${r.id} (${r.program}) has no restored process`;
    for (const [name, ref] of Object.entries(r.caps)) {
      const cap = p.named.get(name);
      if (lostSet.has(`${r.id}/${name}`)) {
        if (cap !== undefined) return `p${r.id} '${name}' was reported lost but is present`;
        continue;
      }
      if (!cap) return `p${r.id} lacks its named capability '${name}'`;
      if (cap.object.id !== ref.target || cap.object.kind !== ref.kind || cap.rights !== ref.rights || cap.badge !== ref.badge || cap.capId !== ref.capId) {
        return `p${r.id} '${name}' is (${cap.object.kind} ${cap.object.id}, rights ${cap.rights}, badge ${cap.badge}) but was persisted as (${ref.kind} ${ref.target}, rights ${ref.rights}, badge ${ref.badge})`;
      }
    }
    for (const name of p.named.keys()) if (!(name in r.caps)) return `p${r.id} holds '${name}', which its registration does not name`;
  }
  // Derivation edges: each restored capability hangs under its nearest restored persisted ancestor.
  const parentOf = new Map<number, number | null>();
  for (const r of registrations) for (const ref of Object.values(r.caps)) parentOf.set(ref.capId, ref.parent);
  const restored = new Map<number, Capability>();
  for (const p of kernel.processes()) for (const cap of p.named.values()) if (cap.capId !== 0) restored.set(cap.capId, cap);
  for (const [capId, cap] of restored) {
    let expected: number | null = parentOf.get(capId) ?? null;
    for (let hops = 0; expected !== null && !restored.has(expected) && hops <= parentOf.size; hops++) expected = parentOf.get(expected) ?? null;
    let actual: Capability | null = cap.parent;
    while (actual !== null && actual.capId === 0) actual = actual.parent;
    if ((actual?.capId ?? null) !== expected) return `capability ${capId} hangs under ${actual?.capId ?? 'nothing'}, its records say ${expected ?? 'nothing'}`;
  }
  return 'ok';
}

/**
 * I4 (structural): along every derivation edge in the kernel, rights only diminish; and a
 * sturdy reference's anchor — what the gatekeeper derives from — holds exactly the rights and
 * badge the token was made with, never more than its parent.
 */
export function checkNoAmplification(kernel: Kernel): string {
  for (const p of kernel.processes()) {
    for (const [slot, cap] of p.cspace.entries()) {
      if (cap.parent !== null && !isDiminished(cap.parent.rights, cap.rights)) {
        return `p${p.id} slot ${slot} has rights ${cap.rights}, more than its parent's ${cap.parent.rights}`;
      }
    }
  }
  for (const e of kernel.sturdy.values()) {
    const anchor = e.anchor;
    if (anchor === null) continue;
    if (anchor.rights !== e.rights || anchor.badge !== e.badge || anchor.object.id !== e.target) {
      return `sturdy reference ${e.id} resolves to (${anchor.object.id}, rights ${anchor.rights}, badge ${anchor.badge}), but was made for (${e.target}, rights ${e.rights}, badge ${e.badge})`;
    }
    if (anchor.parent !== null && !isDiminished(anchor.parent.rights, anchor.rights)) return `sturdy reference ${e.id} has rights ${anchor.rights}, more than its parent's ${anchor.parent.rights}`;
  }
  return 'ok';
}

/** I5: no capability whose revocation was durable has come back, and no revoked token can resolve. */
export function checkRevocation(kernel: Kernel, observer: Observer): string {
  for (const e of kernel.sturdy.values()) if (e.revoked && e.anchor !== null) return `sturdy reference ${e.id} is revoked but still has something to resolve to`;
  for (const p of kernel.processes()) {
    for (const [slot, cap] of p.cspace.entries()) {
      if (cap.capId !== 0 && observer.revokedDurable.has(cap.capId)) return `p${p.id} slot ${slot} holds capability ${cap.capId}, revoked before the power loss`;
    }
  }
  return 'ok';
}

/** I6: the IDs handed out after the restart start above every ID ever issued. */
export function checkUniqueIds(firstFreshId: ObjectId, observer: Observer): string {
  if (firstFreshId <= observer.highestIssued) return `fresh IDs start at ${firstFreshId}, but ${observer.highestIssued} was issued before the power loss`;
  return 'ok';
}

/**
 * A fingerprint of a restored system that ignores what differs from boot to boot by design
 * (fresh IDs, boot count): the restored objects, named capabilities, derivation edges,
 * storage contents and process states. Two boots of the same database give the same one (I8).
 */
export function systemFingerprint(kernel: Kernel, firstFreshId: ObjectId): string {
  const parts: unknown[] = [];
  const objects = [...kernel.objects.values()].filter((o) => o.id < firstFreshId).sort((a, b) => a.id - b.id);
  for (const o of objects) {
    if (o.kind === 'process') {
      const names = [...o.named.entries()]
        .filter(([, cap]) => cap.object.id < firstFreshId)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, cap]) => [name, cap.object.id, cap.rights, cap.badge, cap.capId, cap.parent?.capId ?? null]);
      parts.push(['process', o.id, o.program, o.args, o.status, o.state, names]);
    } else if (o.kind === 'storage') parts.push(['storage', o.id, o.version, o.data]);
    else if (o.kind === 'endpoint') parts.push(['endpoint', o.id, o.owner.id, o.alive]);
  }
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}
