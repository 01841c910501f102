/** Every record kind, for verifyStore: each key belongs to exactly one of them (or to meta). */
import { blocks } from './blocks.ts';
import { checkpoints } from './checkpoints.ts';
import { directory } from './directory.ts';
import type { RecordKind } from './kind.ts';
import { objects } from './objects.ts';
import { registrations } from './registrations.ts';
import { snapshots } from './snapshots.ts';
import { storage } from './storage.ts';

export { blocks, checkpoints, directory, objects, registrations, snapshots, storage };

export const ALL_KINDS: readonly RecordKind<never, unknown>[] = [registrations, objects, storage, directory, blocks, checkpoints, snapshots] as readonly RecordKind<never, unknown>[];

/** The kind whose range holds `key`, or undefined (meta, or a key capsim never writes). */
export function kindOfKey(key: string): RecordKind<never, unknown> | undefined {
  for (const kind of ALL_KINDS) if (key >= kind.range.gte && key < kind.range.lt) return kind;
  return undefined;
}
