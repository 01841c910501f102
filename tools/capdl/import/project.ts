/**
 * capDL onto capsim. Threads become processes: TCBs whose CSpaces share a CNode become one
 * process, named by their TCB names joined with '+', whose c-list is every capability in those
 * CNodes. Endpoints stay endpoints; notifications become endpoints without grant (marked so in
 * the report); frames held in a CSpace, or mapped by more than one process, become storage
 * objects. Rights R→r, W→w, G (and X, which capDL reads as G)→g; P has no capsim meaning.
 *
 * capsim delivers what is sent to an endpoint to the process that owns it, where seL4 lets any
 * holder of R receive. So an endpoint exactly one process can read (R) is owned by that
 * process; every other object is owned by the loader process `capdl-loader`, which, as capDL's
 * loader, creates the objects and grants exactly the capabilities listed. Everything without a
 * capsim meaning is listed as dropped; with `strict`, the first one is an error at its line.
 */
import type { CapSpec, PlainData, ProcessSpec, ProgramTable, StorageSpec, SystemSpec, ObjectSpec } from '../../../kernel/index.ts';
import type { CapdlModel, ObjectCap } from '../model/model.ts';
import { cspaceOf, tcbsOf, vspaceFramesOf, type CSpace, type HeldCap } from '../model/spaces.ts';
import { CapdlError, type SourcePosition } from '../syntax/errors.ts';
import { readNotes, type CapsimNotes } from './notes.ts';
import { CAPDL_PROGRAMS, DEFAULT_PROGRAM, LOADER_PROGRAM, type CapdlOverlay } from './programs.ts';

export const LOADER_NAME = 'capdl-loader';

export interface DroppedItem {
  what: string;
  reason: string;
  pos: SourcePosition | null;
}

export interface ImportReport {
  processes: Array<{ name: string; tcbs: string[]; program: string }>;
  endpoints: Array<{ name: string; owner: string; notification: boolean }>;
  storage: Array<{ name: string; owner: string }>;
  caps: number;
  dropped: DroppedItem[];
  /** What was kept but changed in meaning. */
  notes: string[];
}

export interface ImportResult {
  spec: SystemSpec;
  report: ImportReport;
  /** capDL TCB ID to the process it became. */
  processOfTcb: Map<string, string>;
}

export interface ImportOptions {
  strict?: boolean;
  overlay?: CapdlOverlay;
  /** Programs of the system an export came from, when it is known (a built-in example). */
  programsOf?: (systemName: string) => ProgramTable | undefined;
}

interface Group {
  name: string;
  tcbs: string[];
  cspace: CSpace;
  frames: HeldCap[];
}

export function projectModel(model: CapdlModel, opts: ImportOptions = {}): ImportResult {
  return new Projection(model, opts).run();
}

class Projection {
  private readonly notes: CapsimNotes;
  private readonly dropped: DroppedItem[] = [];
  private readonly changed: string[] = [];

  constructor(
    private readonly model: CapdlModel,
    private readonly opts: ImportOptions,
  ) {
    this.notes = readNotes(model.notes, model.file);
  }

  run(): ImportResult {
    const groups = this.groups();
    const processOfTcb = new Map<string, string>();
    for (const g of groups) for (const t of g.tcbs) processOfTcb.set(t, g.name);

    const projected = this.projectedObjects(groups);
    const loader = uniqueName(LOADER_NAME, new Set(groups.map((g) => g.name)));
    const owners = this.owners(groups, projected, loader);
    const names = this.objectNames(projected);
    const rootSlots = new Set(this.notes.objects.map((o) => `${o.owner}#${o.slot}`));

    const endpoints: ObjectSpec[] = [];
    const storage: StorageSpec[] = [];
    for (const id of projected) {
      const object = this.model.objects.get(id);
      const name = names.get(id) as string;
      const owner = owners.get(id) as string;
      if (object?.type === 'frame') {
        const note = this.notes.objects.find((o) => o.object === id);
        storage.push({ name, owner, data: (note?.data ?? null) as PlainData });
      } else endpoints.push({ name, owner });
    }

    const caps: CapSpec[] = [];
    for (const g of groups) {
      const taken = new Set<string>([...projected].filter((id) => owners.get(id) === g.name).map((id) => names.get(id) as string));
      for (const held of g.cspace.caps) {
        const cap = held.cap;
        const where = `${held.container} slot ${held.slot}`;
        if (cap.targetType === 'cnode') continue;
        if (rootSlots.has(`${g.name}#${held.slot}`) && owners.get(cap.target) === g.name) continue;
        if (!projected.has(cap.target)) {
          this.drop(`capability to ${cap.targetType} ${cap.target} in ${where}`, cap.targetType === 'tcb' ? 'capsim processes hold no capabilities to each other' : `objects of kind ${cap.targetType} have no capsim meaning`, cap.pos);
          continue;
        }
        const note = this.notes.caps.find((c) => c.holder === g.name && c.slot === held.slot);
        const name = uniqueName(note?.cap ?? cap.slotName ?? (names.get(cap.target) as string), taken, `@${held.container}/${held.slot}`);
        taken.add(name);
        caps.push({ holder: g.name, name, target: names.get(cap.target) as string, rights: note?.rights ?? this.rights(cap, where), ...((note?.badge ?? cap.badge) !== 0 ? { badge: note?.badge ?? cap.badge } : {}) });
      }
      for (const c of g.cspace.controls) this.drop(`${c.control} capability in ${c.container} slot ${c.slot}`, 'a control capability has no capsim meaning', null);
      const mapped = new Map<string, Set<string>>();
      for (const f of g.frames) {
        if (!projected.has(f.cap.target) || g.cspace.caps.some((h) => h.cap.target === f.cap.target)) continue;
        const rights = mapped.get(f.cap.target) ?? new Set<string>();
        for (const r of this.rights(f.cap, `${f.container} slot ${f.slot}`)) rights.add(r);
        mapped.set(f.cap.target, rights);
      }
      for (const [frame, rights] of mapped) {
        const name = uniqueName(names.get(frame) as string, taken, '@vspace');
        taken.add(name);
        caps.push({ holder: g.name, name, target: names.get(frame) as string, rights: ['r', 'w', 'g'].filter((r) => rights.has(r)).join('') });
      }
    }
    this.reportUnprojected(groups, projected);
    for (const g of this.notes.gatekeeperCaps) caps.push({ holder: g.holder, name: g.gatekeeperCap, target: g.gate, rights: g.rights });

    const programs = this.programTable();
    const processes: ProcessSpec[] = groups.map((g) => this.processSpec(g, programs));
    const usesLoader = [...owners.values()].includes(loader);
    if (usesLoader) processes.push({ name: loader, program: LOADER_PROGRAM });
    const system = this.notes.system;
    const spec: SystemSpec = {
      name: system?.system ?? baseName(this.model.file),
      description: system?.description ?? `imported from capDL ${this.model.file} (arch ${this.model.arch}): ${groups.length} process(es) from ${tcbsOf(this.model).length} TCB(s)`,
      programs,
      processes,
      endpoints,
      storage,
      ...(this.notes.gatekeepers.length > 0 ? { gatekeepers: [...this.notes.gatekeepers] } : {}),
      caps,
    };
    const report: ImportReport = {
      processes: processes.map((p) => ({ name: p.name, tcbs: groups.find((g) => g.name === p.name)?.tcbs ?? [], program: p.program })),
      endpoints: endpoints.map((e) => ({ name: e.name, owner: e.owner, notification: this.isNotification(e.name, names) })),
      storage: storage.map((s) => ({ name: s.name, owner: s.owner })),
      caps: caps.length,
      dropped: this.dropped,
      notes: this.changed,
    };
    return { spec, report, processOfTcb };
  }

  /** TCBs joined when their CSpaces share a CNode (union-find over CNodes). */
  private groups(): Group[] {
    const tcbs = tcbsOf(this.model);
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let root = x;
      while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root) as string;
      parent.set(x, root);
      return root;
    };
    const spaces = new Map(tcbs.map((t) => [t, cspaceOf(this.model, t)]));
    const byCnode = new Map<string, string>();
    for (const t of tcbs) {
      parent.set(t, t);
      for (const c of (spaces.get(t) as CSpace).cnodes) {
        const other = byCnode.get(c);
        if (other === undefined) byCnode.set(c, t);
        else parent.set(find(t), find(other));
      }
    }
    const members = new Map<string, string[]>();
    for (const t of tcbs) members.set(find(t), [...(members.get(find(t)) ?? []), t]);
    const groups: Group[] = [];
    for (const ts of members.values()) {
      const note = this.notes.processes.find((p) => ts.includes(p.tcb));
      groups.push({ name: note?.process ?? ts.join('+'), tcbs: ts, cspace: spaces.get(ts[0] as string) as CSpace, frames: ts.flatMap((t) => vspaceFramesOf(this.model, t)) });
      if (ts.length > 1) this.changed.push(`TCBs ${ts.join(', ')} share a CNode: one process '${note?.process ?? ts.join('+')}'`);
    }
    return groups;
  }

  /** Endpoints and notifications, frames in some CSpace, and frames mapped by two processes or more. */
  private projectedObjects(groups: Group[]): Set<string> {
    const mappedBy = new Map<string, Set<string>>();
    for (const g of groups) for (const f of g.frames) mappedBy.set(f.cap.target, (mappedBy.get(f.cap.target) ?? new Set()).add(g.name));
    const inCspace = new Set(groups.flatMap((g) => g.cspace.caps.map((h) => h.cap.target)));
    const out = new Set<string>();
    for (const o of this.model.objects.values()) {
      if (o.type === 'ep' || o.type === 'notification') out.add(o.id);
      else if (o.type === 'frame' && (inCspace.has(o.id) || (mappedBy.get(o.id)?.size ?? 0) > 1)) out.add(o.id);
    }
    return out;
  }

  private owners(groups: Group[], projected: Set<string>, loader: string): Map<string, string> {
    const owners = new Map<string, string>();
    for (const id of projected) {
      const note = this.notes.objects.find((o) => o.object === id);
      if (note !== undefined) {
        owners.set(id, note.owner);
        continue;
      }
      const type = this.model.objects.get(id)?.type;
      const readers = type === 'frame' ? [] : groups.filter((g) => g.cspace.caps.some((h) => h.cap.target === id && h.cap.rights.includes('R')));
      owners.set(id, readers.length === 1 ? (readers[0] as Group).name : loader);
      if (readers.length > 1) this.changed.push(`${id} is read by ${readers.length} processes; a capsim endpoint has one receiver, so the loader owns it`);
    }
    return owners;
  }

  private objectNames(projected: Set<string>): Map<string, string> {
    const names = new Map<string, string>();
    for (const id of projected) {
      const note = this.notes.objects.find((o) => o.object === id);
      names.set(id, note?.endpoint ?? note?.storage ?? id);
    }
    return names;
  }

  private rights(cap: ObjectCap, where: string): string {
    let out = '';
    if (cap.rights.includes('R')) out += 'r';
    if (cap.rights.includes('W')) out += 'w';
    if (cap.rights.includes('G')) {
      if (cap.targetType === 'notification') this.drop(`right G on notification ${cap.target} in ${where}`, 'notifications become endpoints without grant', cap.pos);
      else out += 'g';
    }
    if (cap.rights.includes('P')) this.drop(`right P (grant-reply) on ${cap.target} in ${where}`, 'capsim has no grant-reply right', cap.pos);
    return out;
  }

  private reportUnprojected(groups: Group[], projected: Set<string>): void {
    const reachable = new Set(groups.flatMap((g) => g.cspace.cnodes));
    for (const o of this.model.objects.values()) {
      if (o.type === 'tcb' || projected.has(o.id)) continue;
      if (o.type === 'cnode') {
        if (!reachable.has(o.id) && o.slots.size > 0) this.drop(`cnode ${o.id} and its ${o.slots.size} capabilities`, 'it is in no thread\'s CSpace', o.pos);
        continue;
      }
      const covered = this.model.covers.get(o.id);
      const reason = o.type === 'frame' ? 'a frame in no CSpace and mapped by one process at most is private memory, which capsim keeps as process state' : covered ? `an untyped has no capsim meaning (it covers ${covered.length} object(s))` : `objects of kind ${o.type} have no capsim meaning`;
      this.drop(`${o.type} ${o.id}`, reason, o.pos);
    }
    for (const t of tcbsOf(this.model)) {
      for (const [slot, cap] of this.model.objects.get(t)?.slots ?? []) {
        if (cap.kind === 'object' && (cap.targetType === 'ep' || cap.targetType === 'notification')) this.drop(`${cap.targetType} ${cap.target} in slot ${slot} of tcb ${t}`, 'a fault endpoint or bound notification of a TCB has no capsim meaning', cap.pos);
      }
    }
    for (const [irq, target] of this.model.irqs) this.drop(`irq ${irq} -> ${target}`, 'capsim has no interrupts', null);
    for (const e of this.model.cdt) this.drop(`cdt (${e.child.object}, ${e.child.slot}) child of (${e.parent.object}, ${e.parent.slot})`, 'every imported capability is granted from its owner\'s', null);
    if (this.model.domains.length > 0) this.drop('domains', 'capsim has one scheduler and no domains', null);
  }

  private programTable(): ProgramTable {
    const fromSystem = this.notes.system !== null ? this.opts.programsOf?.(this.notes.system.system) : undefined;
    return { ...CAPDL_PROGRAMS, ...(fromSystem ?? {}), ...(this.opts.overlay?.programs ?? {}) };
  }

  private processSpec(g: Group, programs: ProgramTable): ProcessSpec {
    const note = this.notes.processes.find((p) => g.tcbs.includes(p.tcb));
    const assigned = g.tcbs.map((t) => this.opts.overlay?.assign?.[t]).find((a) => a !== undefined);
    let program = DEFAULT_PROGRAM;
    let args: PlainData[] = [];
    if (assigned !== undefined) {
      program = typeof assigned === 'string' ? assigned : assigned.program;
      args = typeof assigned === 'string' ? [] : (assigned.args ?? []);
      if (!Object.prototype.hasOwnProperty.call(programs, program)) throw new CapdlError(this.model.file, this.model.objects.get(g.tcbs[0] as string)?.pos ?? { line: 1, column: 1 }, `the overlay runs program '${program}' on ${g.tcbs.join(', ')}, which it does not define`);
    } else if (note !== undefined) {
      if (Object.prototype.hasOwnProperty.call(programs, note.program)) {
        program = note.program;
        args = note.args;
      } else this.changed.push(`process '${g.name}' ran program '${note.program}', which is not available here: it runs ${DEFAULT_PROGRAM} (name the program in an overlay)`);
    }
    const spec: ProcessSpec = { name: g.name, program, args };
    if (note?.persistent !== undefined) spec.persistent = note.persistent;
    if (note?.provides !== undefined) spec.provides = note.provides;
    if (note?.requires !== undefined) spec.requires = note.requires;
    if (note?.notices !== undefined) spec.notices = note.notices;
    if (note?.policy !== undefined) spec.policy = note.policy;
    return spec;
  }

  private isNotification(name: string, names: Map<string, string>): boolean {
    for (const [id, n] of names) if (n === name) return this.model.objects.get(id)?.type === 'notification';
    return false;
  }

  private drop(what: string, reason: string, pos: SourcePosition | null): void {
    if (this.opts.strict) throw new CapdlError(this.model.file, pos ?? { line: 1, column: 1 }, `--strict: ${what}: ${reason}`);
    this.dropped.push({ what, reason, pos });
  }
}

function uniqueName(name: string, taken: Set<string>, suffix = ''): string {
  if (!taken.has(name)) return name;
  const first = `${name}${suffix}`;
  if (suffix !== '' && !taken.has(first)) return first;
  for (let i = 2; i < taken.size + 3; i += 1) if (!taken.has(`${first}#${i}`)) return `${first}#${i}`;
  return `${first}#${taken.size + 3}`;
}

function baseName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.cdl$/i, '');
}
