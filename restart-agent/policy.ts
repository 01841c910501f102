/**
 * Restart policies, as Erlang/OTP supervisors have them. On a fault:
 *   - temporary: never restarted; the process is terminated and its resources reclaimed;
 *   - transient: restarted after a fault (an abnormal end);
 *   - permanent: always restarted.
 * Intensity and period stop a crash loop: a process that would restart more than `intensity`
 * times within `periodCranks` cranks is terminated instead, and the report says so.
 */
import type { Kernel, ObjectId, Process, RestartPolicy } from '../kernel/index.ts';
import { DEFAULT_POLICY } from '../kernel/index.ts';

export interface SupervisorEvent {
  crank: number;
  pid: ObjectId;
  program: string;
  action: 'restarted' | 'terminated' | 'crash loop stopped';
  reason: string;
}

/** Events kept for the report; older ones are counted, not kept. */
const EVENTS_MAX = 1000;

export class Supervisor {
  readonly events: SupervisorEvent[] = [];
  eventsDropped = 0;
  private readonly restarts = new Map<ObjectId, number[]>();

  constructor(private readonly policies: Map<ObjectId, RestartPolicy>) {}

  policyOf(pid: ObjectId): RestartPolicy {
    return this.policies.get(pid) ?? DEFAULT_POLICY;
  }

  /** The kernel's fault hook. */
  readonly onFault = (kernel: Kernel, p: Process, error: string): void => {
    const policy = this.policyOf(p.id);
    if (policy.mode === 'temporary') {
      kernel.terminate(p.id);
      this.note(kernel, p, 'terminated', `temporary process faulted: ${error}`);
      return;
    }
    const now = kernel.crankCount;
    const recent = (this.restarts.get(p.id) ?? []).filter((at) => at > now - policy.periodCranks);
    if (recent.length >= policy.intensity) {
      kernel.terminate(p.id);
      this.restarts.delete(p.id);
      this.note(kernel, p, 'crash loop stopped', `${recent.length + 1} faults within ${policy.periodCranks} cranks (intensity ${policy.intensity}); last: ${error}`);
      return;
    }
    recent.push(now);
    this.restarts.set(p.id, recent);
    this.note(kernel, p, 'restarted', error);
    kernel.restartProcess(p.id);
  };

  private note(kernel: Kernel, p: Process, action: SupervisorEvent['action'], reason: string): void {
    if (this.events.length >= EVENTS_MAX) {
      this.events.shift();
      this.eventsDropped++;
    }
    this.events.push({ crank: kernel.crankCount, pid: p.id, program: p.program, action, reason });
  }
}
