/**
 * capsim onto capDL: each process becomes a TCB whose CSpace is one CNode just large enough for
 * its c-list (slot 0 left free, where capsim keeps the store capability); endpoints become
 * `ep`, storage objects `frame`; a capability's name becomes its slot's name. What capDL has no
 * word for — the program and its arguments, persistence and restart policy, an object's owner,
 * storage data, the weak right, a name capDL cannot spell, a gatekeeper — goes in `-- capsim:` lines, so
 * that importing the text gives back the same system.
 */
import { checkSpec, type SystemSpec } from '../../../kernel/index.ts';

const IDENT = /^[A-Za-z][A-Za-z0-9_@.-]*$/;
const RESERVED = new Set(['objects', 'caps']);

export function exportCapdl(spec: SystemSpec): string {
  checkSpec(spec);
  const idents = new Identifiers();
  const tcb = new Map(spec.processes.map((p) => [p.name, idents.take(p.name)]));
  const cnode = new Map(spec.processes.map((p) => [p.name, idents.take(`${p.name}_cnode`)]));
  const objectIdent = new Map<string, string>();
  for (const o of [...(spec.endpoints ?? []), ...(spec.storage ?? [])]) objectIdent.set(o.name, idents.take(o.name));

  const notes: string[] = [note({ system: spec.name, description: spec.description })];
  const objects: string[] = [];
  const capLines = new Map<string, string[]>(spec.processes.map((p) => [p.name, []]));
  const nextSlot = new Map<string, number>(spec.processes.map((p) => [p.name, 1]));
  const place = (holder: string, name: string, target: string, rights: string, badge: number): number => {
    const slot = nextSlot.get(holder) as number;
    nextSlot.set(holder, slot + 1);
    const params = [capdlRights(rights), ...(badge !== 0 && isEndpoint(spec, target) ? [`badge: ${badge}`] : [])].filter((x) => x !== '');
    const slotIdent = spellable(name) ? name : idents.take(name);
    (capLines.get(holder) as string[]).push(`    ${slot}: ${slotIdent} = ${objectIdent.get(target)}${params.length > 0 ? ` (${params.join(', ')})` : ''}`);
    const needsNote = slotIdent !== name || rights.includes('k') || (badge !== 0 && !isEndpoint(spec, target));
    if (needsNote) notes.push(note({ cap: name, holder, slot, rights, ...(badge !== 0 && !isEndpoint(spec, target) ? { badge } : {}) }));
    return slot;
  };

  for (const p of spec.processes) {
    objects.push(`  ${tcb.get(p.name)} = tcb`);
    notes.push(note({ process: p.name, tcb: tcb.get(p.name), program: p.program, args: p.args ?? [], ...(p.persistent !== undefined ? { persistent: p.persistent } : {}), ...(p.policy !== undefined ? { policy: p.policy } : {}), ...services(p) }));
  }
  for (const e of spec.endpoints ?? []) {
    objects.push(`  ${objectIdent.get(e.name)} = ep`);
    notes.push(note({ endpoint: e.name, object: objectIdent.get(e.name), owner: e.owner, slot: place(e.owner, e.name, e.name, 'rwg', 0) }));
  }
  for (const s of spec.storage ?? []) {
    objects.push(`  ${objectIdent.get(s.name)} = frame (4k)`);
    notes.push(note({ storage: s.name, object: objectIdent.get(s.name), owner: s.owner, slot: place(s.owner, s.name, s.name, 'rwg', 0), data: s.data }));
  }
  // A gatekeeper has no capDL kind: it and the capabilities to it travel in notes only.
  const gatekeepers = new Set(spec.gatekeepers ?? []);
  for (const g of gatekeepers) notes.push(note({ gatekeeper: g }));
  for (const c of spec.caps ?? []) {
    if (gatekeepers.has(c.target)) notes.push(note({ gatekeeperCap: c.name, holder: c.holder, gate: c.target, rights: c.rights ?? 'rw' }));
    else place(c.holder, c.name, c.target, c.rights ?? 'rwg', c.badge ?? 0);
  }
  for (const p of spec.processes) objects.push(`  ${cnode.get(p.name)} = cnode (${cnodeBits((nextSlot.get(p.name) as number) - 1)} bits)`);

  const caps: string[] = [];
  for (const p of spec.processes) {
    caps.push(`  ${tcb.get(p.name)} {`, `    cspace: ${cnode.get(p.name)}`, '  }');
    caps.push(`  ${cnode.get(p.name)} {`, ...(capLines.get(p.name) as string[]), '  }');
  }
  return [`-- capsim system '${spec.name}', exported to capDL`, 'arch x86_64', '', 'objects {', ...objects, '}', '', 'caps {', ...caps, '}', '', ...notes, ''].join('\n');
}

/** What a process provides and requires (capDL has no word for services). */
function services(p: SystemSpec['processes'][number]): Record<string, unknown> {
  return { ...(p.provides !== undefined ? { provides: p.provides } : {}), ...(p.requires !== undefined ? { requires: p.requires } : {}), ...(p.notices !== undefined ? { notices: p.notices } : {}) };
}

/** Bits of a CNode that holds slots 0..used (slot 0 stays free). */
export function cnodeBits(used: number): number {
  let bits = 1;
  while (2 ** bits <= used) bits += 1;
  return bits;
}

function capdlRights(rights: string): string {
  // A weak capability keeps its letters in the note; capDL sees what it may exercise: read only.
  const weak = rights.includes('k');
  return `${rights.includes('r') ? 'R' : ''}${rights.includes('w') && !weak ? 'W' : ''}${rights.includes('g') && !weak ? 'G' : ''}`;
}

function isEndpoint(spec: SystemSpec, name: string): boolean {
  return (spec.endpoints ?? []).some((e) => e.name === name);
}

function spellable(name: string): boolean {
  return IDENT.test(name) && !RESERVED.has(name);
}

function note(value: Record<string, unknown>): string {
  return `-- capsim: ${JSON.stringify(value)}`;
}

/** capDL identifiers for capsim names: the name itself when capDL can spell it, else a spelling of it; each once. */
class Identifiers {
  private readonly used = new Set<string>();

  take(name: string): string {
    let base = name.replace(/[^A-Za-z0-9_@.-]/g, '_');
    if (!/^[A-Za-z]/.test(base) || RESERVED.has(base)) base = `n_${base}`;
    let ident = base;
    for (let i = 2; this.used.has(ident); i += 1) ident = `${base}_${i}`;
    this.used.add(ident);
    return ident;
  }
}
