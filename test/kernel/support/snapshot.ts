/** Kernel state compared as data, minus the fields a test says may differ. */
import { exportState, type Kernel, type KernelState, type ObjectId } from '../../../kernel/index.ts';

export interface Mask {
  /** Counters that move even when a crank leaves no effect. */
  counters?: boolean;
  /** Processes whose status and lastFault may differ. */
  faulted?: ObjectId[];
}

export function maskedState(k: Kernel, mask: Mask = {}): KernelState {
  const s = JSON.parse(JSON.stringify(exportState(k))) as KernelState;
  if (mask.counters) {
    s.crankCount = 0;
    s.messageSeq = 0;
    s.trace = { hash: [], count: 0 };
  }
  for (const o of s.objects) {
    if (o.kind === 'process' && mask.faulted?.includes(o.id)) {
      o.status = 'faulted';
      o.lastFault = null;
    }
  }
  return s;
}
