/**
 * Deliberately broken variants of the restart agent, for testing the crash explorer: a checker
 * is only worth what it catches, so `capsim check` is tested against each of these (see
 * test/tools/check-variants.test.ts). A variant is injected, never switched: a System built with
 * `SystemOptions.variant` gets its own instance from `agentVariant`, and hands each part of it to
 * the seam it changes. A System without one passes null to every seam, so the faithful agent
 * runs with no hook at all, and two Systems in one process cannot affect each other.
 *
 * The variants, and the seam each one changes:
 *   - 'keep-revoked'  the commit path (CommitVariant): a crank that destroyed persisted
 *                     capabilities rewrites no registration, so a revoked capability stays in
 *                     the database;
 *   - 'split-commit'  the commit path (CommitVariant): storage writes are held back and written
 *                     with the next commit, so one crank's effects span two batches (non-atomic);
 *   - 'reuse-id'      the ID allocator (IdVariant): a boot's first ID is the last one the
 *                     previous life issued (an off-by-one in resuming the durable counter);
 *   - 'torn-checkpoint' change detection (ChangeVariant): a process whose program state did
 *                     not change is taken as unchanged, queue and all, so a checkpoint holds each
 *                     process as of a different crank: a checkpoint written without a crank
 *                     boundary.
 */
import type { Kernel, ObjectId } from '../kernel/index.ts';
import type { StorageRecord } from '../store/index.ts';
import { mustEncode, programStateIn, type ChangeVariant } from './checkpoint/change-detect.ts';
import type { CommitVariant, RecordWriter } from './commit-path.ts';
import type { DurableAllocator, IdVariant } from './durable-ids.ts';

export const BROKEN_VARIANTS = ['keep-revoked', 'split-commit', 'reuse-id', 'torn-checkpoint'] as const;
export type BrokenVariant = (typeof BROKEN_VARIANTS)[number];

/**
 * One System's broken variant: the seams it changes (null where it leaves the faithful agent
 * alone), each holding what the variant carries across that System's power losses.
 */
export interface AgentVariant {
  readonly name: BrokenVariant;
  readonly commit: CommitVariant | null;
  readonly ids: IdVariant | null;
  readonly changes: ChangeVariant | null;
}

export function isBrokenVariant(name: string): name is BrokenVariant {
  return (BROKEN_VARIANTS as readonly string[]).includes(name);
}

/** A fresh instance of a variant, for one System: nothing in it is shared with any other. */
export function agentVariant(name: BrokenVariant): AgentVariant {
  switch (name) {
    case 'keep-revoked':
      return { name, commit: { rewritesRegistrations: (changes) => changes.destroyedCapIds.length === 0 }, ids: null, changes: null };
    case 'split-commit':
      return { name, commit: splitCommit(), ids: null, changes: null };
    case 'reuse-id':
      return { name, commit: null, ids: reuseLastId(), changes: null };
    case 'torn-checkpoint':
      return { name, commit: null, ids: null, changes: tornCheckpoint() };
  }
}

/** Storage writes held back per kernel, so that a power loss (a new kernel) forgets them. */
function splitCommit(): CommitVariant {
  const heldBack = new WeakMap<Kernel, StorageRecord[]>();
  return {
    writer(kernel: Kernel, tx: RecordWriter): RecordWriter {
      for (const s of heldBack.get(kernel) ?? []) tx.putStorage(s);
      const held: StorageRecord[] = [];
      heldBack.set(kernel, held);
      return {
        putRegistration: (r) => tx.putRegistration(r),
        deleteRegistration: (id) => tx.deleteRegistration(id),
        putObject: (o) => tx.putObject(o),
        deleteObject: (id) => tx.deleteObject(id),
        putStorage: (s) => void held.push(s),
        deleteStorage: (id) => tx.deleteStorage(id),
      };
    },
  };
}

/**
 * A boot's first ID is the last one issued before it. Lives follow one another (an allocator
 * issues nothing once the power is gone), so the last ID issued is the highest of the newest
 * earlier allocator that issued any.
 */
function reuseLastId(): IdVariant {
  let previous: DurableAllocator | null = null;
  let lastIssued = 0;
  return {
    firstId(allocator: DurableAllocator, reserved: ObjectId): ObjectId {
      if (previous !== null && previous !== allocator && previous.highestIssued > 0) lastIssued = previous.highestIssued;
      previous = allocator;
      return lastIssued > 0 && lastIssued < reserved ? lastIssued : reserved;
    },
  };
}

/** A process is judged by its program state alone; every other object as the faithful writer judges it. */
function tornCheckpoint(): ChangeVariant {
  return {
    mustEncode: (o, previous) => (o.kind === 'process' && previous !== undefined ? programStateIn(previous) !== o.state : mustEncode(o, previous)),
  };
}
