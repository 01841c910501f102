/**
 * The transcript: one entry per delivery since a checkpoint, by the kernel's crank number, for
 * the transcript persistence model (restart-agent/models/transcript/). The store only keeps
 * them; what an entry holds is the model's business, as a checkpoint's manifest is.
 * Key: x<crank hex14>. Wire: [crank, entry].
 */
import type { TranscriptRecord } from '../records.ts';
import { objectId, plain, record, tuple } from '../shape.ts';
import { defineIdKind } from './define.ts';

export const transcript = defineIdKind<TranscriptRecord>({
  label: 'transcript',
  prefix: 'x',
  check(value) {
    const t = record(value, 'transcript');
    return { crank: objectId(t.crank, 'crank'), entry: plain(t.entry, 'entry') };
  },
  keyOfRecord: (t) => t.crank,
  toWire: (t) => [t.crank, t.entry],
  fromWire(wire) {
    const [crank, entry] = tuple(wire, 'transcript', 2);
    return { crank, entry };
  },
});
