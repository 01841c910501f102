/**
 * A live kernel as subjects for the analysis: one subject per live process, named p<id>. capsim
 * differs from seL4 in who receives: what is sent to an endpoint goes to its owner, and a
 * caller gets its answer through a one-shot reply capability that carries write and grant. So
 * the rights are read in capsim's terms before STCC's rules see them:
 *  - the owner of an endpoint reads it (R), and may answer its callers (W, G on its reply channel);
 *  - another holder writes it (W) with w or r (send, call), grants through it (G) with g, and,
 *    when it may call (r), reads the reply channel (R);
 *  - a storage object is read with r and written with w, as a frame;
 *  - a reply capability held mid-call writes (and grants) to the caller, who reads it;
 *  - a weak capability acts read-only, so it counts only its r;
 *  - the store capability is left out: it reaches only its own process's record (the kernel
 *    refuses it to anyone else), and each boot renews it.
 */
import { GRANT, READ, WEAK, WRITE, type Kernel } from '../../kernel/index.ts';
import { buildGraph } from '../graph/index.ts';
import type { AbstractCap, AbstractRight, AuthorityInput, Subject } from './subjects.ts';

export function subjectsOfKernel(kernel: Kernel, title: string): AuthorityInput {
  const labels = new Map(buildGraph(kernel).nodes.map((n) => [n.id, n.label]));
  const label = (id: number): string => labels.get(id) ?? `object ${id}`;
  const processes = [...kernel.processes()].filter((p) => p.alive).sort((a, b) => a.id - b.id);
  const caps = new Map<number, AbstractCap[]>(processes.map((p) => [p.id, []]));
  const add = (pid: number, cap: AbstractCap): void => {
    caps.get(pid)?.push(cap);
  };
  for (const o of kernel.objects.values()) {
    if (o.kind !== 'endpoint' || !o.alive) continue;
    add(o.owner.id, { object: `endpoint ${o.id}`, kind: 'endpoint', rights: new Set(['R']), label: `owns ${label(o.id)} (receives what is sent to it)`, transferable: false });
    add(o.owner.id, { object: `answers on endpoint ${o.id}`, kind: 'endpoint', rights: new Set(['W', 'G']), label: `answers calls on ${label(o.id)}`, transferable: false });
  }
  for (const p of processes) {
    for (const [slot, cap] of p.cspace.entries()) {
      if (cap.object.kind === 'store') continue;
      const bits = (cap.rights & WEAK) !== 0 ? cap.rights & READ : cap.rights;
      const letters = `${bits & READ ? 'r' : '-'}${bits & WRITE ? 'w' : '-'}${bits & GRANT ? 'g' : '-'}${cap.rights & WEAK ? 'k' : ''}`;
      const where = `[${letters}${cap.badge ? ` badge ${cap.badge}` : ''}] in slot ${slot}`;
      const o = cap.object;
      if (o.kind === 'endpoint') {
        if (o.owner.id === p.id) {
          // Its own endpoint: the owner's reading and answering are counted above.
          add(p.id, { object: `endpoint ${o.id}`, kind: 'endpoint', rights: new Set(), label: `${label(o.id)} ${where}`, transferable: true });
          continue;
        }
        const rights = new Set<AbstractRight>();
        if (bits & (READ | WRITE)) rights.add('W');
        if (bits & GRANT && bits & (READ | WRITE)) rights.add('G');
        add(p.id, { object: `endpoint ${o.id}`, kind: 'endpoint', rights, label: `${label(o.id)} ${where}`, transferable: true });
        if (bits & READ) add(p.id, { object: `answers on endpoint ${o.id}`, kind: 'endpoint', rights: new Set(['R']), label: `gets answers to its calls on ${label(o.id)}`, transferable: false });
      } else if (o.kind === 'storage') {
        const rights = new Set<AbstractRight>();
        if (bits & READ) rights.add('R');
        if (bits & WRITE) rights.add('W');
        add(p.id, { object: `storage ${o.id}`, kind: 'frame', rights, label: `${label(o.id)} ${where}`, transferable: true });
      } else if (o.kind === 'reply') {
        const rights = new Set<AbstractRight>(['W']);
        if (bits & GRANT) rights.add('G');
        add(p.id, { object: `reply ${o.id}`, kind: 'endpoint', rights, label: `${label(o.id)} ${where}`, transferable: true });
        // A client outside the machine waits on no process: the answer leaves, it reaches no subject here.
        if (o.caller !== null) add(o.caller.id, { object: `reply ${o.id}`, kind: 'endpoint', rights: new Set(['R']), label: `waits for ${label(o.id)}`, transferable: false });
      } else if (o.kind === 'process') {
        add(p.id, { object: `p${o.id}`, kind: 'tcb', rights: new Set(), label: `${label(o.id)} ${where}`, transferable: true });
      }
    }
  }
  const subjects: Subject[] = processes.map((p) => ({ name: `p${p.id}`, caps: caps.get(p.id) ?? [] }));
  return { title, subjects };
}
