/**
 * A live kernel as a system description, so that a running or restored system can be exported
 * (or analysed) like a declared one. A process is `p<id>`; an object takes the name its owner
 * gave its capability to it, else `<kind>-<id>`; every capability in a c-list but the store
 * capability, reply capabilities (one-shot, mid-call) and the owner's own capability to what it
 * owns becomes a granted capability, under its registered name or `slot<n>`. An endpoint whose
 * owner deleted its own capability to it is exported all the same (as `endpoint-<id>`); the
 * import gives the owner that capability back, since capsim creates every object with one.
 */
import { formatRights, STORE_SLOT, type Kernel, type KObject, type ProgramTable, type SystemSpec, type CapSpec, type ObjectSpec, type StorageSpec } from '../../../kernel/index.ts';

export function specOfKernel(kernel: Kernel, programs: ProgramTable, name: string, description: string): SystemSpec {
  const processes = [...kernel.processes()].filter((p) => p.alive).sort((a, b) => a.id - b.id);
  const processName = (id: number): string => `p${id}`;
  const objectNames = new Map<number, string>();
  const taken = new Set<string>(processes.map((p) => processName(p.id)));
  const rootSlot = new Map<number, { pid: number; slot: number }>();
  const endpoints: ObjectSpec[] = [];
  const storage: StorageSpec[] = [];
  for (const p of processes) {
    const nameOf = new Map<object, string>();
    for (const [n, cap] of p.named) nameOf.set(cap, n);
    for (const [slot, cap] of p.cspace.entries()) {
      const o = cap.object;
      if (cap.parent !== null || objectNames.has(o.id) || !ownedBy(o, p.id)) continue;
      let objectName = nameOf.get(cap) ?? `${o.kind}-${o.id}`;
      for (let i = 2; taken.has(objectName); i += 1) objectName = `${nameOf.get(cap) ?? `${o.kind}-${o.id}`}-${i}`;
      taken.add(objectName);
      objectNames.set(o.id, objectName);
      rootSlot.set(o.id, { pid: p.id, slot });
      if (o.kind === 'endpoint') endpoints.push({ name: objectName, owner: processName(p.id) });
      else if (o.kind === 'storage') storage.push({ name: objectName, owner: processName(p.id), data: o.data });
    }
  }
  // An endpoint whose owner no longer holds its own capability to it is still the owner's.
  for (const o of [...kernel.objects.values()].sort((a, b) => a.id - b.id)) {
    if (o.kind !== 'endpoint' || !o.alive || !o.owner.alive || objectNames.has(o.id)) continue;
    let objectName = `endpoint-${o.id}`;
    for (let i = 2; taken.has(objectName); i += 1) objectName = `endpoint-${o.id}-${i}`;
    taken.add(objectName);
    objectNames.set(o.id, objectName);
    endpoints.push({ name: objectName, owner: processName(o.owner.id) });
  }
  // Gatekeepers have no owner: each is named by its ID, and every holder's capability to it is a cap.
  const gatekeepers: string[] = [];
  for (const o of [...kernel.objects.values()].sort((a, b) => a.id - b.id)) {
    if (o.kind !== 'gatekeeper' || !o.alive) continue;
    let objectName = `gatekeeper-${o.id}`;
    for (let i = 2; taken.has(objectName); i += 1) objectName = `gatekeeper-${o.id}-${i}`;
    taken.add(objectName);
    objectNames.set(o.id, objectName);
    gatekeepers.push(objectName);
  }
  const caps: CapSpec[] = [];
  for (const p of processes) {
    const nameOf = new Map<object, string>();
    for (const [n, cap] of p.named) nameOf.set(cap, n);
    const used = new Set<string>();
    for (const [slot, cap] of p.cspace.entries()) {
      const target = objectNames.get(cap.object.id);
      const root = rootSlot.get(cap.object.id);
      if (slot === STORE_SLOT || target === undefined || (root?.pid === p.id && root.slot === slot)) continue;
      let capName = nameOf.get(cap) ?? `slot${slot}`;
      for (let i = 2; used.has(capName); i += 1) capName = `${nameOf.get(cap) ?? `slot${slot}`}-${i}`;
      used.add(capName);
      caps.push({ holder: processName(p.id), name: capName, target, rights: formatRights(cap.rights).replace(/-/g, ''), ...(cap.badge !== 0 ? { badge: cap.badge } : {}) });
    }
  }
  return {
    name,
    description,
    programs,
    processes: processes.map((p) => ({ name: processName(p.id), program: p.program, args: [...p.args], persistent: p.store !== null })),
    endpoints,
    storage,
    ...(gatekeepers.length > 0 ? { gatekeepers } : {}),
    caps,
  };
}

/** Storage has no owner in the kernel: the first process that holds its root capability counts as its owner. */
function ownedBy(o: KObject, pid: number): boolean {
  if (o.kind === 'endpoint') return o.owner.id === pid;
  return o.kind === 'storage';
}
