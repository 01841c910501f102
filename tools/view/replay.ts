/**
 * Rewind by determinism: the kernel at any position is the nearest keyframe before it,
 * imported, then the cranks between replayed — each preceded by the same host actions (inputs,
 * clients' calls, steps that found nothing to run) and drawing IDs from the same place as in
 * the recorded run, with a supervisor that decides restarts alike. The replay runs the kernel
 * alone: what the store did is in the recording already.
 */
import { importState, type IdAllocator, type Kernel, type ObjectId, type TraceEvent } from '../../kernel/index.ts';
import { Supervisor } from '../../restart-agent/index.ts';
import { TRACE_KEEP, type PositionRecord, type Recording } from './recording.ts';

/** Draws IDs where the recorded run drew them: set before each replayed crank. */
class ReplayAllocator implements IdAllocator {
  nextId: ObjectId = 1;

  next(): ObjectId {
    return this.nextId++;
  }
}

export interface Replayed {
  kernel: Kernel;
  /** The trace events of the position itself (its crank, or a boot's inits). */
  events: TraceEvent[];
  /** Cranks replayed to get there. */
  replayed: number;
}

/** The kernel as it was after position `pos` of the recording; `atPrevious` sees it one crank before, when the replay passes there. */
export function seek(rec: Recording, pos: number, opts: { atPrevious?: (kernel: Kernel) => void } = {}): Replayed {
  if (!Number.isSafeInteger(pos) || pos < 0 || pos > rec.last) throw new RangeError(`position ${pos} is not in 0..${rec.last}`);
  const frame = rec.keyframeFor(pos);
  const allocator = new ReplayAllocator();
  const supervisor = Supervisor.resume(new Map(frame.policies.map(([pid, p]) => [pid, { ...p }])), frame.restarts);
  const kernel = importState(frame.state, { programs: rec.timeline.spec.programs, trace: 'full', traceKeep: TRACE_KEEP, allocator, onFault: supervisor.onFault, onExit: supervisor.onExit });
  let events: TraceEvent[] = (rec.positions[pos] as PositionRecord).keyframeEvents ?? [];
  for (let p = frame.pos + 1; p <= pos; p++) {
    const record = rec.positions[p] as PositionRecord;
    const before = kernel.trace.total;
    if (p === pos) opts.atPrevious?.(kernel);
    allocator.nextId = record.idNext;
    replayCrank(kernel, record);
    kernel.takeChanges();
    if (p === pos) events = kernel.trace.events().slice(-Math.min(kernel.trace.total - before, TRACE_KEEP));
  }
  return { kernel, events, replayed: pos - frame.pos };
}

/** One crank as System.step ran it: the host's actions in their order, the crank among them. */
function replayCrank(kernel: Kernel, record: PositionRecord): void {
  for (const action of record.hostActions) {
    switch (action.kind) {
      case 'idle':
      case 'crank':
        kernel.step();
        break;
      case 'note':
        kernel.hostNote(action.text);
        break;
      case 'inject':
        kernel.inject(action.endpoint, action.payload, action.badge);
        break;
      case 'call':
        kernel.hostCall(action.endpoint, action.payload, action.badge);
        break;
    }
  }
}
