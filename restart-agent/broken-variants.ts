/**
 * Deliberately broken variants of the restart agent, for testing the crash explorer: a checker
 * is only worth what it catches, so `capsim check` is tested against each of these (see
 * test/tools/check-variants.test.ts). Off unless a test (or CAPSIM_BROKEN_VARIANT, read by
 * `capsim check` only) switches one on; when off, every hook is one comparison.
 *
 * The hooks, one line each where they act:
 *   - 'keep-revoked'  commit-path.ts writeChanges: a crank that destroyed persisted capabilities
 *                     rewrites no registration, so a revoked capability stays in the database;
 *   - 'split-commit'  commit-path.ts writeChanges: storage writes are held back and written with
 *                     the next commit, so one crank's effects span two batches (non-atomic);
 *   - 'reuse-id'      durable-ids.ts: a boot's first ID is the last one the previous life
 *                     issued (an off-by-one in resuming the durable counter);
 *   - 'torn-checkpoint' checkpoint/change-detect.ts: a process whose program state did not
 *                     change is taken as unchanged, queue and all, so a checkpoint holds each
 *                     process as of a different crank: a checkpoint written without a crank
 *                     boundary.
 */
import type { Changes, Kernel, ObjectId } from '../kernel/index.ts';
import type { RecordWriter } from './commit-path.ts';
import type { StorageRecord } from '../store/index.ts';

export const BROKEN_VARIANTS = ['keep-revoked', 'split-commit', 'reuse-id', 'torn-checkpoint'] as const;
export type BrokenVariant = (typeof BROKEN_VARIANTS)[number];

let active: BrokenVariant | null = null;
/** 'split-commit': storage writes held back per kernel, so a power loss (a new kernel) forgets them. */
let heldBack = new WeakMap<Kernel, StorageRecord[]>();
/** 'reuse-id': the last ID any allocator handed out. */
let lastIssued = 0;

/** Switches a broken variant on (or all off with null); each switch starts from a clean slate. */
export function setBrokenVariant(variant: BrokenVariant | null): void {
  if (variant !== null && !BROKEN_VARIANTS.includes(variant)) throw new Error(`no broken variant '${String(variant)}' (known: ${BROKEN_VARIANTS.join(', ')})`);
  active = variant;
  resetBrokenVariantState();
}

/** Forgets what a variant carried over, so that one run of a checker cannot leak into the next. */
export function resetBrokenVariantState(): void {
  heldBack = new WeakMap();
  lastIssued = 0;
}

export function brokenVariant(): BrokenVariant | null {
  return active;
}

/** 'keep-revoked': true when this crank's registrations should (wrongly) not be rewritten. */
export function skipsRevokedRewrite(changes: Changes): boolean {
  return active === 'keep-revoked' && changes.destroyedCapIds.length > 0;
}

/** 'split-commit': a writer that writes the storage held back from the last commit and holds back this one's. */
export function splitCommit(kernel: Kernel, tx: RecordWriter): RecordWriter {
  if (active !== 'split-commit') return tx;
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
}

/** 'reuse-id': notes each ID handed out (only while the variant is on). */
export function noteIssued(id: ObjectId): void {
  if (active === 'reuse-id') lastIssued = id;
}

/** 'reuse-id': the first ID of an allocator's first reservation: the store's answer, or (broken) the last one issued before. */
export function firstReservedId(first: ObjectId): ObjectId {
  return active === 'reuse-id' && lastIssued > 0 && lastIssued < first ? lastIssued : first;
}

/** 'torn-checkpoint': true when the checkpoint writer should (wrongly) judge a process by its program state alone. */
export function tornCheckpoint(): boolean {
  return active === 'torn-checkpoint';
}
