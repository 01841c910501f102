/**
 * Restart under the checkpoint model: the kernel resumes exactly at the newest complete
 * checkpoint (DESIGN.md I10); the work since is lost and the report says how much. Under
 * `both`, the explicit database is kept too: storage objects it holds in a newer version than
 * the checkpoint (committed after it) replace the checkpoint's copy, as EROS journaled chosen
 * objects past its checkpoints; named capabilities the database no longer holds (revoked after
 * the checkpoint) are dropped, so a revocation stays revoked; everything else comes from the
 * checkpoint.
 *
 * Like the explicit boot, this writes nothing: a power loss during it leaves the store as it
 * was, and a second boot builds the same system (I8).
 */
import { freezePlain, importState, stateHash, type Capability, type Kernel, type KernelOptions, type ObjectId } from '../../kernel/index.ts';
import { StoreError, type Registration, type Store } from '../../store/index.ts';
import { requireWhole } from '../audit.ts';
import { damagedKey, readAll, type BootResult } from '../boot.ts';
import { newBook } from '../commit-path.ts';
import { DurableAllocator, ID_LOW_WATER, type IdVariant } from '../durable-ids.ts';
import type { RecordKey } from '../observer.ts';
import { Supervisor } from '../policy.ts';
import type { BootReport } from '../report.ts';
import { readNewestCheckpoint, type ReadCheckpoint } from './restore.ts';
import { overlaySturdy, readSturdy, type ReadSturdy } from '../sturdy-records.ts';

export type CheckpointBootOptions = Omit<KernelOptions, 'allocator' | 'onFault' | 'onExit' | 'seed' | 'schedule' | 'limits'> & {
  keepRecords?: boolean;
  /** Overlay newer storage objects from the explicit database (the `both` model). */
  overlay: boolean;
  /** How a deliberately broken agent allocates IDs (broken-variants.ts); none for the faithful one. */
  idVariant?: IdVariant | null;
  /**
   * Whether the database's sturdy records go over the checkpoint's table now (default), or are
   * only read and handed back (`sturdyLater`) for a model that first replays cranks made after
   * the checkpoint — cranks that made and revoked some of those very tokens (the transcript model).
   */
  sturdyOverlay?: 'now' | 'later';
};

export interface CheckpointBootResult extends BootResult {
  checkpoint: {
    seq: number;
    crank: number;
    /** The restored kernel's state hash before anything ran on it (and before any overlay); null without verification. */
    stateHash: string | null;
    /** For the writer that continues from this checkpoint. */
    tree: ReadCheckpoint['tree'];
    serialNext: number;
    passedOver: { seq: number; reason: string }[];
    overlaid: ObjectId[];
    /** capIds of named capabilities the database no longer holds, dropped with all derived from them. */
    dropped: number[];
  };
  /** With `sturdyOverlay: 'later'`: the sturdy records read, not yet applied (overlaySturdy). */
  sturdyLater: ReadSturdy | null;
}

export class NoCheckpointError extends Error {}

export async function bootFromCheckpoint(store: Store, options: CheckpointBootOptions): Promise<CheckpointBootResult> {
  const phases: BootReport['phases'] = [];
  const bootCount = await store.recordBoot();
  const allocator = new DurableAllocator(store, options.idVariant ?? null);
  await allocator.ensure(ID_LOW_WATER);
  const firstFreshId = allocator.peek();
  phases.push({ phase: 1, name: 'open and verify', detail: `new IDs from ${firstFreshId}` });

  const { read, passedOver } = await readNewestCheckpoint(store);
  // A manifest is written after every block it needs, so a newest checkpoint that does not read
  // whole is damage, not an interrupted write: falling back to an older one would be a guess.
  const newest = passedOver[0];
  if (newest !== undefined) {
    throw new StoreError('damaged', `${newest.reason.replace(/^checkpoint \d+: /, '')}: not booted from an older checkpoint without being told; capsim repair sets this checkpoint aside`, { record: `checkpoint ${newest.seq}` });
  }
  if (read === null) {
    const why = passedOver.length === 0 ? 'it holds no checkpoint' : `no checkpoint reads whole (${passedOver.map((p) => `${p.seq}: ${p.reason}`).join('; ')})`;
    throw new NoCheckpointError(`${store.description} cannot restart under the checkpoint model: ${why}`);
  }
  phases.push({
    phase: 2,
    name: 'read checkpoint',
    detail: `checkpoint ${read.manifest.seq} of crank ${read.manifest.crank}: ${read.manifest.objects} object(s)${passedOver.length > 0 ? `; passed over ${passedOver.map((p) => p.seq).join(', ')}` : ''}`,
  });

  const book = newBook();
  for (const [pid, policy] of read.globals.policies) book.policies.set(pid, { ...policy });
  const supervisor = new Supervisor(book.policies);
  const { keepRecords = true, overlay, idVariant: _idVariant, sturdyOverlay = 'now', ...kernelOptions } = options;
  const kernel = importState(read.state, { ...kernelOptions, allocator, onFault: supervisor.onFault, onExit: supervisor.onExit });
  const hash = keepRecords ? stateHash(kernel) : null;
  phases.push({ phase: 3, name: 'import kernel state', detail: `crank ${kernel.crankCount}, ${kernel.objects.size} object(s), every queue and c-list as checkpointed` });

  let records = new Map<RecordKey, string>();
  let damagedKeys = new Set<RecordKey>();
  const overlaid: ObjectId[] = [];
  const dropped: number[] = [];
  const damaged: { record: string; reason: string }[] = [];
  const ended: ObjectId[] = [];
  if (overlay) {
    const explicit = await readAll(store, keepRecords);
    records = explicit.records;
    damagedKeys = new Set(explicit.damaged.map((d) => damagedKey(d.record)));
    for (const d of explicit.damaged) {
      // A damaged registration hides which of the process's capabilities were revoked since the
      // checkpoint: it is quarantined, as the explicit boot does, rather than trusted.
      const pid = /^registration (\d+)$/.exec(d.record);
      const p = pid === null ? undefined : kernel.objects.get(Number(pid[1]));
      if (p?.kind === 'process' && p.alive) {
        kernel.terminate(p.id);
        damaged.push({ record: d.record, reason: `damaged: ${d.reason} (process ${p.id} quarantined: which of its capabilities were revoked since the checkpoint is unknown)` });
      } else {
        damaged.push({ record: d.record, reason: `damaged: ${d.reason} (the checkpoint's copy is used)` });
      }
    }
    for (const s of explicit.storage) {
      const o = kernel.objects.get(s.id);
      if (o === undefined || o.kind !== 'storage' || s.version <= o.version) continue;
      // The store's plain data also allows bytes, which the kernel never writes: a record with them is not the kernel's.
      const data = s.data as never;
      freezePlain(data, Number.MAX_SAFE_INTEGER, kernel.limits.payload_depth_max);
      o.data = data;
      o.version = s.version;
      overlaid.push(s.id);
    }
    dropped.push(...dropRevokedSince(kernel, explicit.registrations));
    ended.push(...endGoneSince(kernel, explicit.registrations));
    phases.push({
      phase: 4,
      name: 'overlay explicit records',
      detail: `${overlaid.length} storage object(s) newer in the database than in the checkpoint; ${dropped.length} named capabilit${dropped.length === 1 ? 'y' : 'ies'} revoked or deleted since it, dropped; ${ended.length} persistent process(es) ended since it, ended again`,
    });
  }
  // Token records are written under every model: the database's word on them is the newer one.
  const sturdy = await readSturdy(store);
  for (const d of sturdy.damaged) damaged.push({ record: d.record, reason: `damaged: ${d.reason} (its token is revoked: whether it was since the checkpoint is unknown)` });
  if (sturdyOverlay === 'now') {
    const tokens = overlaySturdy(kernel, sturdy.records, sturdy.damagedIds);
    pushSturdyPhase(phases, tokens, `${tokens.revoked} revoked since the checkpoint, ${tokens.added} made since it`);
  }
  kernel.takeChanges();
  await requireWhole(store);

  const report: BootReport = {
    bootCount,
    phases,
    restored: [...kernel.processes()].map((p) => ({ pid: p.id, program: p.program, args: p.args, names: [...p.named.keys()].sort(), status: p.status })),
    quarantined: [...passedOver.map((p) => ({ record: `checkpoint ${p.seq}`, reason: p.reason })), ...damaged],
    lostRefs: [],
    startOrder: [],
    supervisor: supervisor.events,
  };
  phases.push({ phase: phases.length + 1, name: 'report', detail: `${report.restored.length} process(es) resumed where the checkpoint left them` });
  return {
    kernel: kernel as Kernel,
    allocator,
    book,
    supervisor,
    report,
    records,
    damagedKeys,
    firstFreshId,
    fidelity: 'not checked: the checkpoint restores whole kernel state (see I10)',
    checkpoint: { seq: read.manifest.seq, crank: read.manifest.crank, stateHash: hash, tree: read.tree, serialNext: read.globals.serialNext, passedOver, overlaid, dropped },
    sturdyLater: sturdyOverlay === 'later' ? sturdy : null,
  };
}

/** The boot report's line for a sturdy overlay, when it changed anything. */
export function pushSturdyPhase(phases: BootReport['phases'], tokens: { revoked: number; added: number }, detail: string): void {
  if (tokens.revoked + tokens.added === 0) return;
  phases.push({ phase: phases.length + 1, name: 'overlay sturdy references', detail });
}

export type { ReadCheckpoint };

/**
 * Under `both`, the database is the newer word on named capabilities: one the checkpoint holds
 * under a capId that the holder's registration no longer names was revoked (or deleted) after
 * the checkpoint, and a revocation must stay revoked (I5). It goes, with everything derived from
 * it, as the revoke removed them. Processes whose registration could not be read keep theirs:
 * nothing is known about them.
 */
function dropRevokedSince(kernel: Kernel, registrations: readonly Registration[]): number[] {
  const named = new Map<ObjectId, Set<number>>();
  for (const r of registrations) named.set(r.id, new Set(Object.values(r.caps).map((ref) => ref.capId)));
  const gone: Capability[] = [];
  for (const p of kernel.processes()) {
    const held = named.get(p.id);
    if (held === undefined) continue;
    for (const [, cap] of p.cspace.entries()) if (cap.capId !== 0 && !held.has(cap.capId)) gone.push(cap);
  }
  const dropped: number[] = [];
  for (const cap of gone) {
    if (!cap.live) continue;
    dropped.push(cap.capId);
    kernel.dropCapability(cap);
  }
  return dropped;
}

/**
 * Under `both`, a persistent process the checkpoint holds but whose registration the database
 * no longer has ended after the checkpoint (its exit deleted the registration): it is ended
 * again, so that what it held — revoked or not — does not come back with it. (A process whose
 * registration is damaged was quarantined before this runs, so it is no longer alive here.)
 */
function endGoneSince(kernel: Kernel, registrations: readonly Registration[]): ObjectId[] {
  const registered = new Set(registrations.map((r) => r.id));
  const ended: ObjectId[] = [];
  for (const p of [...kernel.processes()]) {
    if (!p.alive || p.store === null || registered.has(p.id)) continue;
    kernel.terminate(p.id);
    ended.push(p.id);
  }
  return ended;
}
