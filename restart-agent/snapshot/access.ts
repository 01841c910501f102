/**
 * Who may do what with a named snapshot. A snapshot is private to its owner (the principal who
 * saved it); the owner may invite others, and an invited principal may list and spawn it. Only
 * the owner invites: an invitation is not a right to pass on.
 */
import { snapshotInfo, snapshotRecord, type SnapshotInfo, type Store } from '../../store/index.ts';
import { SnapshotError } from './errors.ts';
import { checkName } from './names.ts';

/** A snapshot as `list` shows it: its record, its name, and the blocks it shares with what the store held before it. */
export interface SnapshotListing extends SnapshotInfo {
  name: string;
  shared: number;
}

/**
 * One read-check-write at a time per store, so that two saves of one name, or two invites to
 * one snapshot, in the same process cannot both pass their check. (Another process cannot
 * open the store at all: LevelDB locks its folder.)
 */
const queues = new WeakMap<Store, Promise<unknown>>();

export function serialized<T>(store: Store, step: () => Promise<T>): Promise<T> {
  const before = queues.get(store) ?? Promise.resolve();
  const result = before.then(step, step);
  queues.set(
    store,
    result.then(
      () => undefined,
      () => undefined,
    ),
  );
  return result;
}

export async function readSnapshot(archive: Store, name: string): Promise<SnapshotInfo> {
  checkName('snapshot', name);
  const record = await archive.snapshots.get(name);
  if (record === undefined) throw new SnapshotError('unknown', `no snapshot '${name}' in ${archive.description}`);
  return snapshotInfo(name, record);
}

export function maySpawn(info: SnapshotInfo, principal: string): boolean {
  return info.owner === principal || info.invited.includes(principal);
}

/** The snapshot, if `principal` may spawn it; otherwise a refusal naming both. */
export async function requireSpawnRight(archive: Store, name: string, principal: string): Promise<SnapshotInfo> {
  const info = await readSnapshot(archive, name);
  if (!maySpawn(info, principal)) {
    throw new SnapshotError('refused', `principal '${principal}' may not spawn snapshot '${name}': it is private to '${info.owner}', who can run 'capsim snapshot invite ${principal} ${name}'`);
  }
  return info;
}

/** The snapshots `principal` owns or is invited to, in name order. Damaged records are skipped here; `capsim verify` names them. */
export async function listSnapshots(archive: Store, principal: string): Promise<SnapshotListing[]> {
  const out: SnapshotListing[] = [];
  for await (const entry of archive.snapshots.scan()) {
    if ('damaged' in entry) continue;
    const info = snapshotInfo(entry.name, entry.record);
    if (maySpawn(info, principal)) out.push({ name: entry.name, ...info, shared: info.blocks - info.blocksWritten });
  }
  return out;
}

/** Lets `invitee` spawn the snapshot. The root and everything it names stay as they are (I7); only the record's guest list grows. */
export function inviteToSnapshot(archive: Store, name: string, principal: string, invitee: string): Promise<SnapshotInfo> {
  checkName('principal', invitee);
  return serialized(archive, async () => {
    const info = await readSnapshot(archive, name);
    if (info.owner !== principal) throw new SnapshotError('refused', `principal '${principal}' may not invite to snapshot '${name}': only its owner '${info.owner}' may`);
    if (invitee === info.owner || info.invited.includes(invitee)) return info;
    const updated: SnapshotInfo = { ...info, invited: [...info.invited, invitee].sort() };
    const tx = archive.begin();
    tx.putSnapshot(name, snapshotRecord(updated));
    await archive.commit(tx, { sync: true });
    return updated;
  });
}
