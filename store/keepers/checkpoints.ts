/**
 * Checkpoint manifests by sequence number. The store only keeps them; what a manifest holds is
 * the checkpoint's business (another issue).
 * Key: c<seq hex14>. Wire: [seq, manifest].
 */
import type { CheckpointRecord } from '../records.ts';
import { objectId, plain, record, tuple } from '../shape.ts';
import { defineIdKind } from './define.ts';

export const checkpoints = defineIdKind<CheckpointRecord>({
  label: 'checkpoint',
  prefix: 'c',
  check(value) {
    const c = record(value, 'checkpoint');
    return { seq: objectId(c.seq, 'seq'), manifest: plain(c.manifest, 'manifest') };
  },
  keyOfRecord: (c) => c.seq,
  toWire: (c) => [c.seq, c.manifest],
  fromWire(wire) {
    const [seq, manifest] = tuple(wire, 'checkpoint', 2);
    return { seq, manifest };
  },
});
