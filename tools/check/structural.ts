/**
 * Invariants the judge checks on a live kernel, beside the restart report's: the structural
 * part of I11 (isolation), I12 (bounded resources) and a fresh-ID check of I6 that does not
 * depend on the observer's count. Each returns 'ok' or one sentence naming the first violation.
 */
import type { Cap, Kernel, ObjectId } from '../../kernel/index.ts';
import type { RestartReport } from '../../restart-agent/index.ts';

/**
 * I11, the part a kernel can show: every capability sits in exactly one c-list slot and says so
 * (holder and slot), is live, and names an object of the kernel's own table; every name in a
 * named set points at a capability of the same c-list; every process state is frozen, so no
 * two processes share mutable memory. That a program cannot reach memory by other means than
 * its ctx is the language's guarantee and not checked here.
 */
export function checkIsolation(kernel: Kernel): string {
  const seen = new Set<Cap>();
  for (const p of kernel.processes()) {
    for (const [slot, cap] of p.cspace.entries()) {
      if (seen.has(cap)) return `capability in p${p.id} slot ${slot} is held by two c-lists`;
      seen.add(cap);
      if (cap.holder !== p || cap.slot !== slot) return `p${p.id} slot ${slot} holds a capability that says it is elsewhere`;
      if (!cap.live) return `p${p.id} slot ${slot} holds a dead capability`;
      const object = kernel.objects.get(cap.object.id);
      if (object !== undefined && object !== cap.object) return `p${p.id} slot ${slot} names object ${cap.object.id}, but the kernel's object of that ID is another`;
    }
    for (const [name, cap] of p.named) {
      if (cap.holder !== p || p.cspace.slots[cap.slot] !== cap) return `p${p.id} names '${name}' for a capability outside its c-list`;
    }
    if (p.state !== null && typeof p.state === 'object' && !Object.isFrozen(p.state)) return `p${p.id} has a state that is not frozen`;
  }
  return 'ok';
}

/** I12: every queue, c-list, named set and the object table within the kernel's limits. */
export function checkBounds(kernel: Kernel): string {
  const limits = kernel.limits;
  if (kernel.objects.size > limits.objects_max) return `${kernel.objects.size} objects, limit ${limits.objects_max}`;
  const endpointsOf = new Map<ObjectId, number>();
  for (const o of kernel.objects.values()) {
    if (o.kind !== 'endpoint') continue;
    if (o.pending > limits.queue_length_max) return `endpoint ${o.id} holds ${o.pending} messages, limit ${limits.queue_length_max}`;
    endpointsOf.set(o.owner.id, (endpointsOf.get(o.owner.id) ?? 0) + 1);
  }
  for (const p of kernel.processes()) {
    if (p.cspace.size > limits.slots_max) return `p${p.id} holds ${p.cspace.size} capabilities, limit ${limits.slots_max}`;
    if (p.named.size > limits.names_max) return `p${p.id} names ${p.named.size} capabilities, limit ${limits.names_max}`;
    // Every queued message was accepted by one of its endpoints' bounded queues.
    const bound = (endpointsOf.get(p.id) ?? 0) * limits.queue_length_max;
    if (p.inbox.length > bound) return `p${p.id} has ${p.inbox.length} messages queued, more than its ${endpointsOf.get(p.id) ?? 0} endpoint(s) may hold (${bound})`;
  }
  return 'ok';
}

/**
 * I6 against the judge's own count: the first ID the boot hands out (its report says "new IDs
 * from N") lies above every ID issued before the power loss, counting the IDs of cranks that
 * committed nothing (which the observer's count misses) and of interrupted boots.
 */
export function checkFreshIds(report: RestartReport, issuedBefore: ObjectId): string {
  const stated = /new IDs from (\d+)/.exec(report.phases.find((p) => p.phase === 1)?.detail ?? '');
  if (stated === null) return 'not checked: the boot report does not say where its new IDs start';
  const first = Number(stated[1]);
  return first > issuedBefore ? 'ok' : `the boot hands out IDs from ${first}, but IDs up to ${issuedBefore} were issued before the power loss`;
}
