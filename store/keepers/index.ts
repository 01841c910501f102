/** Every record kind, for verifyStore: each key belongs to exactly one of them (or to meta). */
import { blocks } from './blocks.ts';
import { checkpoints } from './checkpoints.ts';
import { directory } from './directory.ts';
import type { RecordKind } from './kind.ts';
import { objects } from './objects.ts';
import { registrations } from './registrations.ts';
import { snapshots } from './snapshots.ts';
import { storage } from './storage.ts';
import { quarantine } from './quarantine.ts';
import { sturdy } from './sturdy.ts';
import { transcript } from './transcript.ts';

export { blocks, checkpoints, directory, objects, quarantine, registrations, snapshots, storage, sturdy, transcript };

export const ALL_KINDS: readonly RecordKind<never, unknown>[] = [registrations, objects, storage, directory, blocks, checkpoints, snapshots, quarantine, sturdy, transcript] as readonly RecordKind<never, unknown>[];

/**
 * The key of a record named as the keepers name them ("registration 42", "directory \"/a\"",
 * "block <hash>"), or null for a name no keeper makes.
 */
export function keyOfName(name: string): string | null {
  const space = name.indexOf(' ');
  if (space < 0) return null;
  const label = name.slice(0, space);
  const rest = name.slice(space + 1);
  const kind = ALL_KINDS.find((k) => k.label === label) as RecordKind<unknown, unknown> | undefined;
  if (kind === undefined) return null;
  try {
    if (kind === (blocks as unknown)) return kind.key(rest);
    if (rest.startsWith('"')) return kind.key(JSON.parse(rest) as string);
    return /^\d+$/.test(rest) ? kind.key(Number(rest)) : null;
  } catch {
    return null;
  }
}

/** The kind whose range holds `key`, or undefined (meta, or a key capsim never writes). */
export function kindOfKey(key: string): RecordKind<never, unknown> | undefined {
  for (const kind of ALL_KINDS) if (key >= kind.range.gte && key < kind.range.lt) return kind;
  return undefined;
}
