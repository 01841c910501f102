/**
 * The system as plain data for history checkers, which know nothing of the kernel: each live
 * process's state and each storage object's data, under the label the description gave it.
 * Frozen, as the states and data in it are (the kernel freezes every piece of plain data): a
 * checker cannot change it, and a confined one may reuse its copy of it for every operation.
 */
import type { Kernel, ObjectId } from '../kernel/index.ts';
import type { HistoryValue, RestoredView } from './history.ts';

export function restoredView(kernel: Kernel, labels: ReadonlyMap<string, ObjectId>): RestoredView {
  const view: RestoredView = { processes: {}, storage: {} };
  for (const [label, id] of labels) {
    const o = kernel.objects.get(id);
    if (o === undefined || !o.alive) continue;
    if (o.kind === 'process' && o.status !== 'exited') view.processes[label] = o.state as HistoryValue;
    else if (o.kind === 'storage') view.storage[label] = o.data as HistoryValue;
  }
  Object.freeze(view.processes);
  Object.freeze(view.storage);
  return Object.freeze(view);
}
