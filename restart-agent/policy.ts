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
  /** Faults per process since this supervisor started (since the last boot): a summary reports them. */
  readonly faults = new Map<ObjectId, number>();

  constructor(private readonly policies: Map<ObjectId, RestartPolicy>) {}

  /** The recent restarts each process counts against its intensity: what a copy of this supervisor needs to decide alike. */
  recentRestarts(): [ObjectId, number[]][] {
    return [...this.restarts].map(([pid, at]) => [pid, [...at]]);
  }

  /** A supervisor that decides as one whose recentRestarts() gave `restarts` (a replay from a kernel snapshot). */
  static resume(policies: Map<ObjectId, RestartPolicy>, restarts: readonly (readonly [ObjectId, readonly number[]])[]): Supervisor {
    const s = new Supervisor(policies);
    for (const [pid, at] of restarts) s.restarts.set(pid, [...at]);
    return s;
  }

  policyOf(pid: ObjectId): RestartPolicy {
    return this.policies.get(pid) ?? DEFAULT_POLICY;
  }

  /** The kernel's fault hook. */
  readonly onFault = (kernel: Kernel, p: Process, error: string): void => {
    this.faults.set(p.id, (this.faults.get(p.id) ?? 0) + 1);
    const policy = this.policyOf(p.id);
    if (policy.mode === 'temporary') {
      kernel.terminate(p.id);
      this.note(kernel, p, 'terminated', `temporary process faulted: ${error}`);
      return;
    }
    if (this.overIntensity(kernel, p, policy, error)) {
      kernel.terminate(p.id);
      return;
    }
    this.note(kernel, p, 'restarted', error);
    kernel.restartProcess(p.id);
  };

  /** The kernel's exit hook: only a permanent process comes back after a normal exit. */
  readonly onExit = (kernel: Kernel, p: Process): boolean => {
    const policy = this.policyOf(p.id);
    if (policy.mode !== 'permanent') {
      this.note(kernel, p, 'terminated', `${policy.mode} process exited normally`);
      return false;
    }
    if (this.overIntensity(kernel, p, policy, 'exited normally')) return false;
    this.note(kernel, p, 'restarted', 'permanent process exited normally');
    return true;
  };

  /** Counts a restart; true (and a report line) when it would exceed the intensity. */
  private overIntensity(kernel: Kernel, p: Process, policy: RestartPolicy, why: string): boolean {
    const now = kernel.crankCount;
    const recent = (this.restarts.get(p.id) ?? []).filter((at) => at > now - policy.periodCranks);
    if (recent.length >= policy.intensity) {
      this.restarts.delete(p.id);
      this.note(kernel, p, 'crash loop stopped', `${recent.length + 1} restarts within ${policy.periodCranks} cranks (intensity ${policy.intensity}); last: ${why}`);
      return true;
    }
    recent.push(now);
    this.restarts.set(p.id, recent);
    return false;
  }

  private note(kernel: Kernel, p: Process, action: SupervisorEvent['action'], reason: string): void {
    if (this.events.length >= EVENTS_MAX) {
      this.events.shift();
      this.eventsDropped++;
    }
    this.events.push({ crank: kernel.crankCount, pid: p.id, program: p.program, action, reason });
  }
}
