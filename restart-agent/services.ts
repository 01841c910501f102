/**
 * The service manager: the run-time half of services (the description's half is in
 * kernel/spec.ts: `provides`, `requires`, `notices`, and the wiring that gives each requirer a
 * capability named `service:<name>` to its provider's endpoint).
 *
 * Start order needs nothing here: a requirer names its provider's endpoint, so the restart
 * order (dependency-order.ts) starts providers first, at creation and after every restart.
 * What this adds: when the supervisor restarts a provider after a fault (or stops it), each
 * process that requires one of its services and takes notices is told by a message on its
 * `service-notices` endpoint — `{ service, event: 'restarted', generation, reason }` when it
 * went and came back, `{ service, event: 'stopped', reason }` when its policy ended it. The
 * requirers are found from their named capabilities, so this holds after any restart too.
 */
import { KernelError, SERVICE_CAP_PREFIX, SERVICE_NOTICES_NAME, type Kernel, type PlainData, type Process } from '../kernel/index.ts';

/** A notice carries the start of the fault's description, not all of it: it is a message, bounded like one. */
const REASON_CHARS_MAX = 200;

/** Notices dropped because a requirer's queue was full or its endpoint gone: counted, never thrown. */
export interface NoticeOutcome {
  sent: number;
  dropped: number;
}

/**
 * Tells every requirer of `provider`'s services what happened to it. Bounded by the processes
 * and their names; runs between cranks (from the supervisor's hooks).
 */
export function announceProvider(kernel: Kernel, provider: Process, event: 'restarted' | 'stopped', reason: string): NoticeOutcome {
  const outcome: NoticeOutcome = { sent: 0, dropped: 0 };
  const brief = reason.slice(0, REASON_CHARS_MAX);
  for (const p of kernel.processes()) {
    if (p === provider || !p.alive) continue;
    const notices = p.named.get(SERVICE_NOTICES_NAME);
    if (notices === undefined || notices.object.kind !== 'endpoint') continue;
    for (const [name, cap] of p.named) {
      if (!name.startsWith(SERVICE_CAP_PREFIX) || cap.object.kind !== 'endpoint' || cap.object.owner !== provider) continue;
      const service = name.slice(SERVICE_CAP_PREFIX.length);
      const payload: PlainData = event === 'restarted' ? { service, event, generation: provider.generation, reason: brief } : { service, event, reason: brief };
      try {
        kernel.inject(notices.object.id, payload);
        outcome.sent++;
      } catch (err) {
        if (!(err instanceof KernelError)) throw err;
        outcome.dropped++;
      }
    }
  }
  return outcome;
}
