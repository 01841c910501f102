/**
 * What `capsim verify` and boot know about a store beyond its values and its account: the
 * marks of the system it holds, and its blocks. The store's own verify (store/verify.ts) names
 * damaged values, records missing or extra against the account, and a rollback; this adds
 *   - a missing or damaged system label or model mark (boot would have to guess without them),
 *   - a checkpoint or snapshot that needs a block the store lacks (or cannot read),
 *   - an orphan block: one that no checkpoint and no snapshot needs (after a checkpoint write
 *     cut short by a power loss these are expected, and the next boot frees them: a note).
 * `requireWhole` is boot's gate: it refuses a store whose account shows records missing, extra
 * or rolled back, riding on the scans boot has made.
 */
import { isDamaged, StoreError, walkBlocks, type Problem, type Store } from '../store/index.ts';
import { hasMarks, markProblems, readMarks } from './directory-marks.ts';
import { ORPHANS_MARKER } from './checkpoint/format.ts';
import { listCheckpoints } from './checkpoint/restore.ts';

export type AuditProblemKind = Problem['kind'] | 'missing_mark' | 'missing_block' | 'orphan_block';

export interface AuditProblem {
  kind: AuditProblemKind;
  record: string;
  reason: string;
}

export interface StoreAudit {
  records: number;
  /** Batches the store's account counts; the witness's count (null: no witness). */
  commits: number;
  witnessed: number | null;
  problems: AuditProblem[];
  /** Things worth knowing that are not damage (expected orphans, a store verified from a copy). */
  notes: string[];
}

/** Orphan blocks named one by one up to this many; the rest are counted. */
const ORPHANS_NAMED_MAX = 50;

export async function auditStore(store: Store): Promise<StoreAudit> {
  const verified = await store.verify();
  const audit: StoreAudit = { records: verified.records, commits: verified.commits, witnessed: verified.witnessed, problems: [...verified.problems], notes: [] };
  if (store.copyOf !== null) audit.notes.push(`${store.copyOf} cannot be written: a copy of it was verified`);
  const holdsSystem = store.account.kinds.registration.count > 0 || store.account.kinds.checkpoint.count > 0 || (await store.registrations.count()) > 0 || (await store.checkpoints.count()) > 0;
  if (holdsSystem) for (const p of markProblems(await readMarks(store))) audit.problems.push({ kind: 'missing_mark', ...p });
  await auditBlocks(store, audit);
  return audit;
}

async function auditBlocks(store: Store, audit: StoreAudit): Promise<void> {
  const source = (hash: string) => store.blocks.get(hash);
  const needed = new Set<string>();
  let whole = true;
  const roots: { record: string; root: string }[] = (await listCheckpoints(store)).map((m) => ({ record: `checkpoint ${m.seq}`, root: m.root }));
  for await (const s of store.snapshots.scan()) {
    if (isDamaged(s)) {
      whole = false;
      continue;
    }
    const root = (s.record as { root?: unknown } | null)?.root;
    if (typeof root === 'string') roots.push({ record: `snapshot ${JSON.stringify(s.name)}`, root });
  }
  for (const { record, root } of roots) {
    try {
      for (const hash of await walkBlocks(source, [root])) needed.add(hash);
    } catch (error) {
      whole = false;
      const reason = error instanceof StoreError && error.code === 'damaged' ? `needs a block that is damaged: ${error.message}` : `needs ${(error as Error).message.replace(/^not_found: /, '')}`;
      audit.problems.push({ kind: 'missing_block', record, reason });
    }
  }
  // With a needed block unreadable, what lies below it is unknown: no block is called an orphan.
  if (!whole) return;
  const orphans: string[] = [];
  for await (const block of store.blocks.scan()) {
    const hash = isDamaged(block) ? block.record.slice('block '.length) : block.hash;
    if (!needed.has(hash)) orphans.push(hash);
  }
  if (orphans.length === 0) return;
  if ((await store.directory.get(ORPHANS_MARKER)) !== undefined) {
    audit.notes.push(`${orphans.length} orphan block(s) of a checkpoint write cut short by a power loss: the next boot frees them`);
    return;
  }
  for (const hash of orphans.slice(0, ORPHANS_NAMED_MAX)) audit.problems.push({ kind: 'orphan_block', record: `block ${hash}`, reason: 'no checkpoint and no snapshot needs it' });
  if (orphans.length > ORPHANS_NAMED_MAX) audit.problems.push({ kind: 'orphan_block', record: `${orphans.length - ORPHANS_NAMED_MAX} more block(s)`, reason: 'no checkpoint and no snapshot needs them' });
}

/**
 * Boot's gate: refuses a store whose account does not match what the store holds, or that holds
 * a damaged value boot would not otherwise set aside (the directory, checkpoints, snapshots,
 * blocks: boot quarantines damaged registrations, objects and storage itself, and says so).
 */
export async function requireWhole(store: Store): Promise<void> {
  // The directory holds a label per object, as many records again as boot reads: its marks are
  // checked by point reads (requireMarks), its labels and its sum when the labels are read, on
  // the first input (System.loadLabels).
  const findings = await store.checkAccount({ skip: ['directory'] });
  for (const kind of ['directory', 'checkpoint', 'snapshot', 'block'] as const) {
    const [damaged] = store.damagedIn(kind);
    if (damaged !== undefined) throw new StoreError('damaged', `its value is damaged: not booted; capsim verify names every problem, capsim repair sets what is damaged aside`, { record: damaged });
  }
  const first = findings[0];
  if (first === undefined) return;
  const more = findings.length > 1 ? ` (and ${findings.length - 1} more problem(s))` : '';
  throw new StoreError(first.kind === 'rolled_back' ? 'rolled_back' : 'damaged', `${first.reason}${more}: not booted; capsim verify names what is wrong, capsim repair makes the store consistent again`, { record: first.record });
}

/**
 * Refuses a store whose system label or model mark is missing or damaged, naming the record.
 * A whole store is checked with a few point reads (the directory may hold a label per object);
 * only a store that fails them is scanned, to say exactly what is wrong.
 */
export async function requireMarks(store: Store, system: string): Promise<void> {
  // A damaged mark throws StoreError('damaged') naming it.
  if ((await hasMarks(store, system)) === true) return;
  const problems = markProblems(await readMarks(store));
  const first = problems[0];
  if (first === undefined) return;
  throw new StoreError('damaged', `${first.reason}: not booted, since which system or model the store holds would be a guess`, { record: first.record });
}
