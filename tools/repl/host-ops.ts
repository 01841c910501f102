/**
 * Revoke and delete done by the host, between cranks, on a process's c-list. The kernel's host
 * API (kernel.ts) has grant but not these two, which programs reach only as syscalls; the
 * REPL lets a teacher do them by hand. They run the kernel's own capability operations with no
 * journal (there is no crank to roll back), exactly as the kernel's terminate() does, and leave
 * the same trace events as the syscalls.
 */
import { KernelError, KernelUsageError, formatRights, type Kernel, type ObjectId } from '../../kernel/index.ts';
import { destroy, revoke } from '../../kernel/caps/cap-ops.ts';

function checkBetweenCranks(kernel: Kernel): void {
  if (kernel.current !== null) throw new KernelUsageError('a host revoke or delete cannot run inside a crank');
}

/** Removes every capability derived from the one in `slot`; returns how many went. */
export function hostRevoke(kernel: Kernel, pid: ObjectId, slot: number): number {
  checkBetweenCranks(kernel);
  const cap = kernel.process(pid).cspace.lookup(slot);
  const removed = revoke(kernel, cap, kernel.limits.revoke_visits_max, null);
  if (removed === null) throw new KernelError('object_limit', `more than ${kernel.limits.revoke_visits_max} derived capabilities`);
  kernel.record({ crank: kernel.crankCount, ev: 'revoke', pid, slot, removed });
  return removed;
}

/** Deletes the one capability in `slot`; what was derived from it moves up to its parent. */
export function hostDelete(kernel: Kernel, pid: ObjectId, slot: number): void {
  checkBetweenCranks(kernel);
  const cap = kernel.process(pid).cspace.lookup(slot);
  destroy(kernel, cap, null);
  kernel.record({ crank: kernel.crankCount, ev: 'cap', pid, op: 'delete', slot, to: -1, rights: formatRights(cap.rights), badge: cap.badge });
}
