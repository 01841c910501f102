/**
 * Sturdy references between the kernel's table and the trusted database. Their records are
 * written under every persistence model, in the batch of the crank that made or revoked them:
 * a token may have left the machine, so what it stands for — and above all that it was
 * revoked — must outlive any restart (DESIGN.md I5, extended to tokens).
 *
 * At boot the table is rebuilt from them (explicit model), or taken from the checkpoint and
 * brought up to date by them (checkpoint models): a record the database says is revoked is
 * revoked, whatever the checkpoint says; a token made after the checkpoint is put back.
 */
import type { Capability, Kernel, SturdyEntry } from '../kernel/index.ts';
import { isDamaged, type Store, type SturdyRecord } from '../store/index.ts';
import { persistedParent } from './swizzle.ts';

/** The records of the references a crank made or revoked, in id order. */
export function writeSturdyChanges(kernel: Kernel, ids: ReadonlySet<number>, tx: { putSturdy(s: SturdyRecord): void }): void {
  for (const id of [...ids].sort((a, b) => a - b)) {
    const entry = kernel.sturdy.get(id);
    // Made and revoked in cranks that rolled back leave an id behind with no entry: nothing to write.
    if (entry !== undefined) tx.putSturdy(toSturdyRecord(entry));
  }
}

export function toSturdyRecord(e: SturdyEntry): SturdyRecord {
  const parent = e.anchor === null ? null : persistedParent(e.anchor);
  return {
    id: e.id, hash: Buffer.from(e.hash).toString('hex'), target: e.target, kind: e.kind, rights: e.rights, badge: e.badge,
    maker: e.maker, createdCrank: e.createdCrank, revoked: e.revoked, parent: parent === null || parent.capId === 0 ? null : parent.capId,
  };
}

export interface ReadSturdy {
  records: SturdyRecord[];
  /** Damaged records: their tokens are refused (unknown), which never gives authority. */
  damaged: { record: string; reason: string }[];
  /** The ids of the damaged records, read from their keys. */
  damagedIds: number[];
}

export async function readSturdy(store: Store): Promise<ReadSturdy> {
  const out: ReadSturdy = { records: [], damaged: [], damagedIds: [] };
  for await (const chunk of store.sturdy.scanChunks()) {
    for (const r of chunk) {
      if (isDamaged(r)) {
        out.damaged.push({ record: r.record, reason: r.reason });
        const id = /^sturdy (\d+)$/.exec(r.record);
        if (id !== null) out.damagedIds.push(Number(id[1]));
      } else out.records.push(r);
    }
  }
  return out;
}

/**
 * Explicit boot, after the c-lists and the derivation tree are restored: every reference comes
 * back, its anchor under the restored capability its record names as parent.
 */
export function rebuildSturdy(kernel: Kernel, records: readonly SturdyRecord[]): number {
  const byCapId = capsByCapId(kernel, records);
  for (const r of records) kernel.restoreSturdy(entryOf(r), r.parent === null ? null : (byCapId.get(r.parent) ?? null));
  return records.length;
}

/**
 * Checkpoint boot, after the kernel state is imported: the database's revocations win, and
 * references made after the checkpoint are put back. Returns how many of each.
 */
export function overlaySturdy(kernel: Kernel, records: readonly SturdyRecord[], damagedIds: readonly number[]): { revoked: number; added: number } {
  const fresh = records.filter((r) => kernel.sturdy.get(r.id) === undefined);
  const byCapId = capsByCapId(kernel, fresh);
  let revoked = 0;
  // A record that cannot be read may say revoked: the checkpoint's copy of that token is not trusted to resolve.
  for (const id of damagedIds) {
    const entry = kernel.sturdy.get(id);
    if (entry !== undefined && !entry.revoked) {
      kernel.revokeSturdy(entry);
      revoked++;
    }
  }
  for (const r of records) {
    const entry = kernel.sturdy.get(r.id);
    if (entry === undefined) kernel.restoreSturdy(entryOf(r), r.parent === null ? null : (byCapId.get(r.parent) ?? null));
    else if (r.revoked && !entry.revoked) {
      kernel.revokeSturdy(entry);
      revoked++;
    }
  }
  return { revoked, added: fresh.length };
}

function entryOf(r: SturdyRecord): Omit<SturdyEntry, 'anchor'> {
  return { id: r.id, hash: Uint8Array.from(Buffer.from(r.hash, 'hex')), target: r.target, kind: r.kind, rights: r.rights, badge: r.badge, maker: r.maker, createdCrank: r.createdCrank, revoked: r.revoked };
}

/** Named capabilities by capId, only when some record needs a parent (one pass over the c-lists). */
function capsByCapId(kernel: Kernel, records: readonly SturdyRecord[]): Map<number, Capability> {
  const wanted = new Set<number>();
  for (const r of records) if (r.parent !== null) wanted.add(r.parent);
  const out = new Map<number, Capability>();
  if (wanted.size === 0) return out;
  for (const p of kernel.processes()) for (const cap of p.named.values()) if (wanted.has(cap.capId)) out.set(cap.capId, cap);
  return out;
}
