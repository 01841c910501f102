/**
 * Restart: rebuild a running system from the trusted database, in capDL loader phases.
 *   1. open and verify: count the boot, reserve fresh IDs durably, note damaged records, and
 *      refuse a store whose records do not match its account (audit.ts: checked on the scans
 *      of phase 2, plus the small kinds boot does not otherwise read);
 *   2. read every registration, object, storage and derivation record;
 *   3. create every process, store, endpoint and storage shell under its original ObjectId
 *      (a registration whose program is not registered is quarantined, not started);
 *   4. fill c-lists from the named capability sets, names in sorted order from slot 1 on;
 *      a reference to something not restored becomes an empty slot and a report line;
 *      derivation records relink the restored capabilities so revoke still reaches them;
 *   5. start processes in dependency order (after the owners of the endpoints they name;
 *      a cycle starts together), each init getting its command line;
 *   6. report what was restored, quarantined and lost, and why.
 * Nothing here writes a record: a power loss during boot leaves the database as it was, so a
 * second boot builds the same system (DESIGN.md I8). Changes made by the inits are committed
 * afterwards through the ordinary commit path.
 */
import { Kernel, type KernelOptions, type ObjectId, type Process } from '../kernel/index.ts';
import type { DamagedRecord, ObjectRecord, Registration, StorageRecord, Store } from '../store/index.ts';
import { newBook, type CommitBook } from './commit-path.ts';
import { startOrder } from './dependency-order.ts';
import { DurableAllocator, ID_LOW_WATER, type IdVariant } from './durable-ids.ts';
import { canonical, type RecordKey } from './observer.ts';
import { Supervisor } from './policy.ts';
import type { BootReport, LostReference, Quarantined } from './report.ts';
import { createShells, fillCLists, linkDerivations } from './boot-phases.ts';
import { checkFidelity } from './invariants.ts';
import { requireWhole } from './audit.ts';
import { readSturdy, rebuildSturdy } from './sturdy-records.ts';

export type BootOptions = Omit<KernelOptions, 'allocator' | 'onFault'> & {
  /** Keep every record read, canonically encoded, for the invariant checks (costs time and memory). */
  keepRecords?: boolean;
  /** How a deliberately broken agent allocates IDs (broken-variants.ts); none for the faithful one. */
  idVariant?: IdVariant | null;
};

export interface BootResult {
  kernel: Kernel;
  allocator: DurableAllocator;
  book: CommitBook;
  supervisor: Supervisor;
  report: BootReport;
  /** The records as read, keyed as the observer keys them. */
  records: Map<RecordKey, string>;
  damagedKeys: Set<RecordKey>;
  /** The first ID this boot may hand out: every restored ID lies below it. */
  firstFreshId: ObjectId;
  /** I3, checked on the graph as phase 4 restored it, before any init could change it. */
  fidelity: string;
}

export interface ReadRecords {
  registrations: Registration[];
  objects: ObjectRecord[];
  storage: StorageRecord[];
  damaged: DamagedRecord[];
  records: Map<RecordKey, string>;
}

export async function boot(store: Store, options: BootOptions): Promise<BootResult> {
  const phases: BootReport['phases'] = [];
  const quarantined: Quarantined[] = [];
  const lostRefs: LostReference[] = [];

  // Phase 1: open and verify (the store checked its schema when it opened).
  const bootCount = await store.recordBoot();
  const allocator = new DurableAllocator(store, options.idVariant ?? null);

  // Phase 2: read.
  const read = await readAll(store, options.keepRecords ?? true);
  const sturdy = await readSturdy(store);
  await requireWhole(store);
  // Every restored process gets a new store object: reserve those IDs with the rest.
  await allocator.ensure(ID_LOW_WATER + read.registrations.length);
  const firstFreshId = allocator.peek();
  for (const d of read.damaged) quarantined.push({ record: d.record, reason: `damaged: ${d.reason}` });
  for (const d of sturdy.damaged) quarantined.push({ record: d.record, reason: `damaged: ${d.reason} (its token is refused)` });
  phases.push({ phase: 1, name: 'open and verify', detail: `${read.damaged.length} damaged record(s); new IDs from ${firstFreshId}` });
  phases.push({
    phase: 2,
    name: 'read registrations',
    detail: `${read.registrations.length} registration(s), ${read.objects.length} object(s), ${read.storage.length} storage object(s)`,
  });

  // Phase 3: shells under their original IDs.
  const book = newBook();
  const { keepRecords: _keep, idVariant: _idVariant, ...kernelOptions } = options;
  const kernel = new Kernel({ ...kernelOptions, allocator });
  const supervisor = new Supervisor(book.policies);
  kernel.onFault = supervisor.onFault;
  kernel.onExit = supervisor.onExit;
  const shells = createShells(kernel, read, book);
  quarantined.push(...shells.quarantined);
  const restored = shells.restored;
  phases.push({ phase: 3, name: 'create shells', detail: `${restored.length} process(es), ${shells.endpoints} endpoint(s), ${read.storage.length} storage object(s) under their original IDs` });

  // Phase 4: c-lists from named capability sets, then the derivation tree.
  const filled = fillCLists(kernel, restored, lostRefs);
  linkDerivations(kernel, read.registrations, filled);
  const tokens = rebuildSturdy(kernel, sturdy.records);
  phases.push({ phase: 4, name: 'fill c-lists', detail: `${filled.caps.length} named capabilit${filled.caps.length === 1 ? 'y' : 'ies'} restored, ${lostRefs.length} reference(s) to something gone${tokens > 0 ? `, ${tokens} sturdy reference(s)` : ''}` });

  // Restoring marked every registration changed; it equals the database, so nothing is owed.
  kernel.takeChanges();
  // I3 before phase 5: an init may name or drop capabilities, and that is not a restore error.
  const restoredIds = new Set(restored.map((r) => r.id));
  const quarantinedPids = new Set(read.registrations.filter((r) => !restoredIds.has(r.id)).map((r) => r.id));
  const fidelity = (options.keepRecords ?? true) ? checkFidelity(kernel, read.records, lostRefs, quarantinedPids) : 'not checked: records not kept';

  // Phase 5: start in dependency order.
  const groups = startOrder(
    restored.map((r) => r.id),
    (pid) => dependenciesOf(kernel.process(pid)),
  );
  for (const group of groups) for (const pid of group) if (kernel.process(pid).status === 'new') kernel.start(pid);
  const cycles = groups.filter((g) => g.length > 1);
  phases.push({
    phase: 5,
    name: 'start in dependency order',
    detail: `${groups.length} start group(s)${cycles.length > 0 ? `, ${cycles.length} cycle(s) started together` : ''}`,
  });

  const report: BootReport = {
    bootCount,
    phases,
    restored: restored.map((r, i) => ({ pid: r.id, program: r.program, args: r.args, names: filled.names[i] as string[], status: kernel.process(r.id).status })),
    quarantined,
    lostRefs,
    startOrder: groups,
    supervisor: supervisor.events,
  };
  phases.push({ phase: 6, name: 'report', detail: `${report.restored.length} restored, ${quarantined.length} quarantined, ${lostRefs.length} lost reference(s)` });
  const damagedKeys = new Set(read.damaged.map((d) => damagedKey(d.record)));
  return { kernel, allocator, book, supervisor, report, records: read.records, damagedKeys, firstFreshId, fidelity };
}

/** Processes whose endpoints `p` names: they start first. */
function dependenciesOf(p: Process): ObjectId[] {
  // An array, not a Set: a process names a handful of capabilities, and this runs for each one.
  const deps: ObjectId[] = [];
  for (const cap of p.named.values()) {
    const o = cap.object;
    if (o.kind === 'endpoint' && o.owner !== p && !deps.includes(o.owner.id)) deps.push(o.owner.id);
  }
  return deps;
}

export async function readAll(store: Store, keepRecords: boolean): Promise<ReadRecords> {
  const out: ReadRecords = { registrations: [], objects: [], storage: [], damaged: [], records: new Map() };
  // A chunk of decoded records per await: the loop over a chunk stays synchronous.
  const take = async <T extends object>(scan: AsyncIterable<(T | DamagedRecord)[]>, key: (v: T) => RecordKey, into: T[]): Promise<void> => {
    for await (const chunk of scan) {
      for (const v of chunk) {
        if ('damaged' in v && v.damaged === true) {
          out.damaged.push(v);
          continue;
        }
        into.push(v as T);
        if (keepRecords) out.records.set(key(v as T), canonical(v));
      }
    }
  };
  await take<Registration>(store.registrations.scanChunks(), (r) => `registration/${r.id}`, out.registrations);
  await take<ObjectRecord>(store.objects.scanChunks(), (o) => `object/${o.id}`, out.objects);
  await take<StorageRecord>(store.storage.scanChunks(), (s) => `storage/${s.id}`, out.storage);
  return out;
}

/** The store names a damaged record as "<kind> <id>"; the observer keys it "<kind>/<id>". */
export function damagedKey(record: string): RecordKey {
  return record.replace(' ', '/');
}
