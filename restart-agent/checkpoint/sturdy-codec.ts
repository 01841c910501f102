/**
 * The kernel's sturdy references in a checkpoint. They ride in the root block (which every
 * checkpoint rewrites anyway): per reference its record and its anchor as a capability record,
 * so that the anchor comes back in its place in the derivation tree and the capabilities
 * restored from it come back below it (DESIGN.md I10). Only the secret's hash is written.
 */
import type { CapState, Kernel, SturdyState } from '../../kernel/index.ts';
import { capRecord, type CapRecord, type SerialOf } from './object-codec.ts';
import type { HeldCap } from './restore.ts';

/** [id, hash hex, target, kind, rights, badge, maker, created crank, revoked, anchor or null] */
export type SturdyCheckpointRecord = [number, string, number, string, number, number, number, number, boolean, CapRecord | null];

export function encodeSturdy(kernel: Kernel, serialOf: SerialOf): SturdyCheckpointRecord[] {
  const out: SturdyCheckpointRecord[] = [];
  for (const e of kernel.sturdy.values()) {
    const anchor = e.anchor !== null && e.anchor.live ? capRecord(e.anchor, -1, serialOf) : null;
    out.push([e.id, Buffer.from(e.hash).toString('hex'), e.target, e.kind, e.rights, e.badge, e.maker, e.createdCrank, e.revoked, anchor]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** The anchors as held capabilities (for the derivation tree), and the references once their anchors have indexes. */
export function sturdyAnchors(records: readonly SturdyCheckpointRecord[]): { anchors: HeldCap[]; states(indexOf: (h: HeldCap) => number | null): SturdyState[] } {
  const anchors: HeldCap[] = [];
  const anchorOf = new Map<number, HeldCap>();
  for (const r of records) {
    if (r[9] === null) continue;
    const h: HeldCap = { rec: r[9], holder: { sturdy: r[0] } satisfies CapState['holder'] };
    anchors.push(h);
    anchorOf.set(r[0], h);
  }
  return {
    anchors,
    states: (indexOf) =>
      records.map((r) => {
        const h = anchorOf.get(r[0]);
        return {
          id: r[0], hash: r[1], anchor: h === undefined ? null : indexOf(h), target: r[2], kind: r[3] as SturdyState['kind'],
          rights: r[4], badge: r[5], maker: r[6], createdCrank: r[7], revoked: r[8],
        };
      }),
  };
}
