/**
 * Repair: the way back for a store verify found wanting. It keeps what is whole, sets aside what
 * is not, makes the store consistent again, and reports exactly what it gave up:
 *   1. every damaged value is set aside (moved under the quarantine kind with its bytes and why);
 *   2. every checkpoint or snapshot that needs a missing or damaged block is set aside, so boot
 *      starts from the newest checkpoint that reads whole — and says which it set aside;
 *   3. orphan blocks (no checkpoint or snapshot needs them) are freed;
 *   4. a missing model mark is written again from what the store holds (checkpoints and
 *      registrations: both; checkpoints only: checkpoint; registrations only: explicit), said
 *      as inferred; a missing system label only when the caller names the system;
 *   5. records missing or extra against the account, and a rollback, cannot be undone: they are
 *      accepted, each listed;
 *   6. the account is summed afresh from what is there and written (and the witness moved), so
 *      the store verifies whole again — unless something above could not be resolved, which the
 *      report lists as unresolved.
 * Every step is a synced store batch; a power loss in between leaves a store that repair (or
 * verify) takes up again.
 */
import type { Store } from '../store/index.ts';
import type { BuiltInModelName } from './models/registry.ts';
import { auditStore, type AuditProblem } from './audit.ts';
import { collect } from './checkpoint/collect.ts';
import { listCheckpoints } from './checkpoint/restore.ts';
import { putMark, readMarks } from './directory-marks.ts';

export interface RepairAction {
  record: string;
  /** What repair did: set aside, freed, restored (a mark written again), accepted (a loss it cannot undo). */
  action: 'set aside' | 'freed' | 'restored' | 'accepted';
  reason: string;
}

export interface RepairReport {
  /** Problems verify found before the repair. */
  found: AuditProblem[];
  actions: RepairAction[];
  /** Problems verify still finds after it (empty: the store is whole). */
  unresolved: AuditProblem[];
  /** The account's sequence number after the repair. */
  commits: number;
}

export async function repairStore(store: Store, opts: { system?: string } = {}): Promise<RepairReport> {
  const before = await auditStore(store);
  const actions: RepairAction[] = [];
  const found = before.problems;

  // 1 and 2: set aside damaged values, and checkpoints or snapshots that need what is gone.
  const aside = found.filter((p) => (p.kind === 'damaged' && !p.record.startsWith('unknown key')) || p.kind === 'missing_block');
  const missed = await store.setAside(aside.map((p) => ({ record: p.record, reason: `${p.kind === 'damaged' ? 'damaged' : 'needs a block that is gone'}: ${p.reason}` })));
  for (const p of aside) if (!missed.some((m) => m.record === p.record)) actions.push({ record: p.record, action: 'set aside', reason: p.reason });

  // 3: orphan blocks — those found, and those a checkpoint set aside leaves — freed by a
  // collection that keeps every checkpoint.
  if (found.some((p) => p.kind === 'orphan_block' || p.kind === 'missing_block')) {
    const kept = (await listCheckpoints(store)).length;
    const collection = await collect(store, { keep: Math.max(1, kept), sweepAll: true });
    if (collection.skipped !== null) actions.push({ record: 'orphan blocks', action: 'accepted', reason: `not freed: ${collection.skipped}` });
    else if (collection.blocksFreed > 0) actions.push({ record: `${collection.blocksFreed} block(s)`, action: 'freed', reason: 'no checkpoint and no snapshot needs them' });
  }

  // 4: marks.
  const marks = await readMarks(store);
  const tx = store.begin();
  if (marks.model === null) {
    const model = inferModel(store.account.kinds.registration.count > 0 || (await store.registrations.count()) > 0, (await listCheckpoints(store)).length > 0, store.account.kinds.transcript.count > 0 || (await store.transcript.count()) > 0);
    putMark(tx, { model });
    actions.push({ record: 'model mark', action: 'restored', reason: `written again as '${model}', inferred from what the store holds` });
  }
  if (marks.system === null && opts.system !== undefined) {
    putMark(tx, { system: opts.system });
    actions.push({ record: 'system label', action: 'restored', reason: `written again as '${opts.system}', as the caller named it` });
  }
  if (tx.size > 0) await store.commit(tx, { sync: true });

  // 5: losses repair cannot undo.
  for (const p of found) if (p.kind === 'missing_or_extra' || p.kind === 'rolled_back' || p.kind === 'no_account') actions.push({ record: p.record, action: 'accepted', reason: p.reason });

  // 6: the account, afresh.
  const account = await store.reaccount();
  const after = await auditStore(store);
  return { found, actions, unresolved: after.problems, commits: account.seq };
}

function inferModel(registrations: boolean, checkpoints: boolean, transcript: boolean): BuiltInModelName {
  if (checkpoints && transcript) return 'transcript';
  if (checkpoints) return registrations ? 'both' : 'checkpoint';
  return 'explicit';
}
