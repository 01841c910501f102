/**
 * From syntax to model, as capDL-tool's MakeModel does it: objects first (arrays expand to
 * `name[0]`..`name[n-1]`, qualified names `a/b/c` declare untypeds `a`, `b` that cover what
 * follows), then capabilities (a mapping without a slot number takes the slot after the last
 * one written in that container; a range of targets fills consecutive slots), then copies
 * `<name>` (followed through chains of copies, rights cut by `masked:`), then the derivation
 * tree and IRQ mappings. Every mistake is a CapdlError at the declaration that makes it.
 */
import type { CapMappingDecl, CapParam, CdtNode, Decl, NameRef, ObjectDecl, Range, SlotRef } from '../syntax/ast.ts';
import { CapdlError, type SourcePosition } from '../syntax/errors.ts';
import { parseCapdl } from '../syntax/parser.ts';
import { CONTROL_CAPS, holdsSlots, normaliseRights, takesRights, type CapRef, type CapdlCap, type CapdlModel, type CapdlObject, type ControlCap, type ObjectCap } from './model.ts';

/** A bound on how many IDs one name reference may stand for. */
const IDS_PER_REFERENCE_MAX = 1_000_000;

export function readCapdl(text: string, file: string): CapdlModel {
  const { module, notes } = parseCapdl(text, file);
  const model: CapdlModel = { file, arch: module.arch, objects: new Map(), covers: new Map(), irqs: new Map(), cdt: [], domains: [], capNames: new Map(), notes };
  new ModelBuilder(model).build(module.decls);
  return model;
}

export function idOf(name: string, index: number | null): string {
  return index === null ? name : `${name}[${index}]`;
}

class ModelBuilder {
  private readonly arrays = new Map<string, number>();
  /** `object#slot` to the first name given to that slot. */
  private readonly slotNames = new Map<string, string>();
  private readonly capArrays = new Map<string, number>();
  private readonly pendingCovers: Array<{ ut: string; ref: NameRef }> = [];
  private readonly copies: Array<{ container: string; slot: number; source: string; mask: CapParam[]; pos: SourcePosition }> = [];

  constructor(private readonly model: CapdlModel) {}

  build(decls: Decl[]): void {
    for (const d of decls) if (d.kind === 'object') this.declareObject(d.decl, null);
    for (const { ut, ref } of this.pendingCovers) this.cover(ut, this.objectIds(ref));
    // As capDL-tool, a cap name declaration does not check its container: it may name a slot
    // of an object the description leaves out.
    for (const d of decls) if (d.kind === 'capName') this.nameCap(d.name, null, { object: this.plainId(d.container), slot: d.slot });
    // Twice: a copy may take its width from names given further down.
    for (let round = 0; round < 2; round += 1) {
      for (const d of decls) if (d.kind === 'caps') for (const container of this.objectIds(d.containers)) this.preNameSlots(container, d.mappings);
    }
    for (const d of decls) if (d.kind === 'caps') for (const container of this.objectIds(d.containers)) this.fillContainer(container, d.mappings, d.pos);
    this.resolveCopies();
    for (const d of decls) {
      if (d.kind === 'caps') for (const container of this.objectIds(d.containers)) this.recordParents(container, d.mappings);
      if (d.kind === 'cdt') this.recordTree(d.tree);
      if (d.kind === 'irqs') this.mapIrqs(d.mappings);
      if (d.kind === 'domains') {
        if (this.model.domains.length > 0) this.fail(d.pos, 'a second domains section (at most one domain schedule is accepted)');
        this.model.domains.push(...d.items);
      }
    }
  }

  // ---- objects -------------------------------------------------------------------------------

  private declareObject(decl: ObjectDecl, coveringUt: string | null): void {
    const prefixes = decl.qname.slice(0, -1).map((r) => this.plainId(r));
    const last = decl.qname[decl.qname.length - 1] as NameRef;
    for (const ut of prefixes) this.ensureUntyped(ut, decl.pos);
    const ids = this.redeclaresElement(last, decl) ? [this.plainId(last)] : this.declaredIds(last);
    const chain = coveringUt === null ? prefixes : [coveringUt, ...prefixes];
    for (let i = 0; i + 1 < chain.length; i += 1) this.cover(chain[i] as string, [chain[i + 1] as string]);
    const coverer = chain[chain.length - 1];
    for (const id of ids) this.addObject(id, decl);
    if (coverer !== undefined) this.cover(coverer, ids);
    for (const n of decl.nested) {
      if (decl.type !== 'ut') this.fail(decl.pos, `only an untyped (ut) may declare or cover objects inside it, and '${idOf(last.name, null)}' is a ${decl.type}`);
      for (const id of ids) {
        if ('decl' in n) this.declareObject(n.decl, id);
        else this.pendingCovers.push({ ut: id, ref: n.ref });
      }
    }
  }

  /** `arr[3] = ut {...}` where arr is declared already: more covers for one element, no new array. */
  private redeclaresElement(ref: NameRef, decl: ObjectDecl): boolean {
    return decl.type === 'ut' && ref.ranges.length === 1 && ref.ranges[0]?.kind === 'only' && this.model.objects.get(this.plainId(ref))?.type === 'ut';
  }

  private declaredIds(ref: NameRef): string[] {
    if (ref.ranges.length === 0) return [ref.name];
    const only = ref.ranges[0];
    if (ref.ranges.length !== 1 || only?.kind !== 'only') this.fail(ref.pos, `declare an array as ${ref.name}[n], with one count`);
    const n = (only as { n: number }).n;
    if (n > IDS_PER_REFERENCE_MAX) this.fail(ref.pos, `${ref.name}[${n}] declares more than ${IDS_PER_REFERENCE_MAX} objects`);
    this.arrays.set(ref.name, Math.max(this.arrays.get(ref.name) ?? 0, n));
    return Array.from({ length: n }, (_, i) => idOf(ref.name, i));
  }

  private addObject(id: string, decl: ObjectDecl): void {
    const known = this.model.objects.get(id);
    if (known !== undefined) {
      // capDL lets an untyped be declared again, to add to what it covers.
      if (known.type === 'ut' && decl.type === 'ut') {
        if (known.params.length === 0) known.params = decl.params;
        return;
      }
      this.fail(decl.pos, `'${id}' is declared twice (first at line ${known.pos.line})`);
    }
    this.model.objects.set(id, { id, type: decl.type, params: decl.params, slots: new Map(), pos: decl.pos });
  }

  private ensureUntyped(id: string, pos: SourcePosition): void {
    const known = this.model.objects.get(id);
    if (known === undefined) this.model.objects.set(id, { id, type: 'ut', params: [], slots: new Map(), pos });
    else if (known.type !== 'ut') this.fail(pos, `'${id}' covers objects, so it must be an untyped, but it is a ${known.type}`);
  }

  private cover(ut: string, ids: string[]): void {
    const list = this.model.covers.get(ut) ?? [];
    for (const id of ids) if (!list.includes(id)) list.push(id);
    this.model.covers.set(ut, list);
  }

  // ---- capabilities --------------------------------------------------------------------------

  /** Slot names come before the capabilities, since a copy may name a slot filled later. */
  private preNameSlots(container: string, mappings: CapMappingDecl[]): void {
    let last = -1;
    for (const m of mappings) {
      const slot = m.slot ?? last + 1;
      const width = m.copy ? this.knownCapIds(m.target).length : this.isControl(m.target) ? 1 : this.objectIds(m.target).length;
      if (m.slotName !== null) this.nameSlots(m.slotName, container, slot, width);
      last = slot + Math.max(width, 1) - 1;
    }
  }

  private nameSlots(name: NameRef, container: string, slot: number, width: number): void {
    if (name.ranges.length === 0) {
      if (width !== 1) this.fail(name.pos, `cannot give the one name '${name.name}' to ${width} capabilities: write ${name.name}[] = ...`);
      this.nameCap(name.name, null, { object: container, slot });
      return;
    }
    if (name.ranges.length !== 1 || name.ranges[0]?.kind !== 'all') this.fail(name.pos, `name an array of capabilities as ${name.name}[]`);
    this.capArrays.set(name.name, Math.max(this.capArrays.get(name.name) ?? 0, width));
    for (let i = 0; i < width; i += 1) this.nameCap(name.name, i, { object: container, slot: slot + i });
  }

  private nameCap(name: string, index: number | null, ref: CapRef): void {
    // As in capDL-tool, a later name declaration replaces an earlier one of the same name.
    const id = idOf(name, index);
    this.model.capNames.set(id, ref);
    const key = `${ref.object}#${ref.slot}`;
    if (!this.slotNames.has(key)) this.slotNames.set(key, id);
  }

  private fillContainer(container: string, mappings: CapMappingDecl[], pos: SourcePosition): void {
    const object = this.model.objects.get(container) as CapdlObject;
    if (!holdsSlots(object.type)) this.fail(pos, `'${container}' is a ${object.type}, which holds no capabilities`);
    if (mappings.some((m) => m.copy) && mappings.some((m) => m.slot === null)) {
      this.fail(pos, `'${container}' uses both copies of caps and unnumbered slots (number every slot where copies are used)`);
    }
    let last = -1;
    for (const m of mappings) {
      const first = m.slot ?? last + 1;
      if (m.copy) {
        const sources = this.capIds(m.target);
        sources.forEach((source, i) => this.copies.push({ container, slot: first + i, source, mask: m.params, pos: m.pos }));
        for (let i = 0; i < sources.length; i += 1) this.place(object, first + i, null, m.pos);
        last = first + Math.max(sources.length, 1) - 1;
        continue;
      }
      if (this.isControl(m.target)) {
        const control = m.target.name as ControlCap;
        const core = m.params.find((p) => p.kind === 'core');
        if (m.params.some((p) => p.kind !== 'core') || (core !== undefined && control !== 'sched_control')) this.fail(m.pos, `incorrect parameters for the ${control} capability in '${container}'`);
        if (control === 'sched_control' && core === undefined) this.fail(m.pos, `the sched_control capability in '${container}' needs a core: parameter`);
        this.place(object, first, { kind: 'control', control, core: core?.kind === 'core' ? core.n : null, slotName: this.slotNameAt(container, first), pos: m.pos }, m.pos);
        last = first;
        continue;
      }
      const targets = this.objectIds(m.target);
      targets.forEach((target, i) => this.place(object, first + i, this.capTo(container, target, m), m.pos));
      last = first + Math.max(targets.length, 1) - 1;
    }
  }

  private capTo(container: string, target: string, m: CapMappingDecl): ObjectCap {
    const object = this.model.objects.get(target) as CapdlObject;
    const allowed = allowedParams(object.type);
    for (const p of m.params) {
      if (!allowed.has(p.kind)) this.fail(m.pos, `incorrect parameter '${p.kind}' for the capability to ${target} (a ${object.type}) in ${container}`);
    }
    const replies = m.params.filter((p) => p.kind === 'reply' || p.kind === 'master_reply');
    if (replies.length > 1) this.fail(m.pos, `a TCB capability is either reply or master_reply, not both`);
    const asid = m.params.find((p) => p.kind === 'asid');
    const cached = m.params.find((p) => p.kind === 'cached');
    return {
      kind: 'object',
      target,
      targetType: object.type,
      rights: normaliseRights(m.params.flatMap((p) => (p.kind === 'rights' ? p.rights : []))),
      badge: firstNumber(m.params, 'badge'),
      guard: firstNumber(m.params, 'guard'),
      guardSize: firstNumber(m.params, 'guard_size'),
      reply: (replies[0]?.kind as 'reply' | 'master_reply' | undefined) ?? null,
      asid: asid?.kind === 'asid' ? [asid.high, asid.low] : null,
      cached: cached?.kind === 'cached' ? cached.cached : true,
      copiedFrom: null,
      slotName: null,
      pos: m.pos,
    };
  }

  private place(object: CapdlObject, slot: number, cap: CapdlCap | null, pos: SourcePosition): void {
    if (object.slots.has(slot)) this.fail(pos, `slot ${slot} of '${object.id}' is already filled`);
    const named = cap === null ? null : { ...cap, slotName: this.slotNameAt(object.id, slot) };
    object.slots.set(slot, named as CapdlCap);
  }

  private slotNameAt(container: string, slot: number): string | null {
    return this.slotNames.get(`${container}#${slot}`) ?? null;
  }

  private resolveCopies(): void {
    const pending = new Map(this.copies.map((c) => [`${c.container}#${c.slot}`, c]));
    const resolve = (key: string, seen: Set<string>): CapdlCap | null => {
      const copy = pending.get(key);
      const [object, slotText] = splitKey(key);
      if (copy === undefined) return this.model.objects.get(object)?.slots.get(Number(slotText)) ?? null;
      if (seen.has(key)) this.fail(copy.pos, `the copies through '${copy.source}' form a cycle`);
      seen.add(key);
      const from = this.model.capNames.get(copy.source) as CapRef;
      const source = resolve(`${from.object}#${from.slot}`, seen);
      if (source === null) this.fail(copy.pos, `could not resolve the capability reference <${copy.source}>: slot ${from.slot} of '${from.object}' is empty`);
      const slotName = this.slotNameAt(copy.container, copy.slot);
      let made: CapdlCap;
      if ((source as CapdlCap).kind === 'control') made = { ...(source as CapdlCap), slotName, pos: copy.pos };
      else {
        const original = source as ObjectCap;
        const masks = copy.mask.flatMap((p) => (p.kind === 'masked' ? [new Set(p.rights)] : []));
        const rights = takesRights(original.targetType) ? original.rights.filter((r) => masks.every((m) => m.has(r))) : original.rights;
        made = { ...original, rights, copiedFrom: copy.source, slotName, pos: copy.pos };
      }
      (this.model.objects.get(object) as CapdlObject).slots.set(Number(slotText), made);
      pending.delete(key);
      return made;
    };
    for (const c of this.copies) {
      if (c.mask.some((p) => p.kind !== 'masked')) this.fail(c.pos, `a copy <${c.source}> takes only masked: parameters`);
      resolve(`${c.container}#${c.slot}`, new Set());
    }
  }

  // ---- derivation tree, IRQs -------------------------------------------------------------------

  private recordParents(container: string, mappings: CapMappingDecl[]): void {
    let last = -1;
    for (const m of mappings) {
      const slot = m.slot ?? last + 1;
      const width = m.copy ? this.capIds(m.target).length : this.isControl(m.target) ? 1 : this.objectIds(m.target).length;
      if (m.parent !== null) this.addCdt({ object: container, slot }, this.capRef(m.parent), m.pos);
      last = slot + Math.max(width, 1) - 1;
    }
  }

  private recordTree(node: CdtNode): void {
    const parent = this.capRef(node.parent);
    for (const child of node.children) {
      if ('kind' in child) this.addCdt(this.capRef(child), parent, child.pos);
      else {
        this.addCdt(this.capRef(child.parent), parent, child.parent.kind === 'slot' ? child.parent.pos : child.parent.ref.pos);
        this.recordTree(child);
      }
    }
  }

  private addCdt(child: CapRef, parent: CapRef, pos: SourcePosition): void {
    if (this.model.cdt.some((e) => e.child.object === child.object && e.child.slot === child.slot)) this.fail(pos, `(${child.object}, ${child.slot}) has multiple parents`);
    this.model.cdt.push({ child, parent });
  }

  private capRef(ref: SlotRef): CapRef {
    if (ref.kind === 'slot') return { object: this.singleObject(ref.container), slot: ref.slot };
    const named = this.model.capNames.get(this.plainId(ref.ref));
    if (named === undefined) this.fail(ref.pos, `unknown capability name '${this.plainId(ref.ref)}'`);
    return named as CapRef;
  }

  private mapIrqs(mappings: Array<{ irq: number | null; target: NameRef }>): void {
    let last = -1;
    for (const m of mappings) {
      const ids = this.objectIds(m.target);
      const first = m.irq ?? last + 1;
      ids.forEach((id, i) => {
        if (this.model.irqs.has(first + i)) this.fail(m.target.pos, `IRQ ${first + i} is mapped twice`);
        this.model.irqs.set(first + i, id);
      });
      last = first + Math.max(ids.length, 1) - 1;
    }
  }

  // ---- names ---------------------------------------------------------------------------------

  private isControl(ref: NameRef): boolean {
    return ref.ranges.length === 0 && (CONTROL_CAPS as readonly string[]).includes(ref.name) && !this.model.objects.has(ref.name);
  }

  /** The object IDs a reference stands for; each must be declared. */
  private objectIds(ref: NameRef): string[] {
    const ids = expand(ref, this.arrays.get(ref.name) ?? 0, (p) => this.fail(ref.pos, p));
    for (const id of ids) if (!this.model.objects.has(id)) this.fail(ref.pos, `unknown object '${id}'`);
    return ids;
  }

  private capIds(ref: NameRef): string[] {
    const ids = expand(ref, this.capArrays.get(ref.name) ?? 0, (p) => this.fail(ref.pos, p));
    for (const id of ids) if (!this.model.capNames.has(id)) this.fail(ref.pos, `unknown capability name '${id}'`);
    return ids;
  }

  /** The capability names a reference stands for, of those known so far (at least one place). */
  private knownCapIds(ref: NameRef): string[] {
    if (ref.ranges.length === 0) return [ref.name];
    const count = this.capArrays.get(ref.name) ?? 0;
    if (count === 0 && ref.ranges.some((r) => r.kind === 'all' || r.kind === 'from')) return [ref.name];
    return expand(ref, count, (p) => this.fail(ref.pos, p));
  }

  private singleObject(ref: NameRef): string {
    const id = this.plainId(ref);
    if (!this.model.objects.has(id)) this.fail(ref.pos, `unknown object '${id}'`);
    return id;
  }

  private plainId(ref: NameRef): string {
    if (ref.ranges.length === 0) return ref.name;
    const only = ref.ranges[0];
    if (ref.ranges.length === 1 && only?.kind === 'only') return idOf(ref.name, only.n);
    return this.fail(ref.pos, `'${ref.name}' must name one object here, not a range`);
  }

  private fail(pos: SourcePosition, problem: string): never {
    throw new CapdlError(this.model.file, pos, problem);
  }
}

function expand(ref: NameRef, count: number, fail: (problem: string) => never): string[] {
  if (ref.ranges.length === 0) return [ref.name];
  const indices: number[] = [];
  const push = (from: number, to: number): void => {
    const step = from <= to ? 1 : -1;
    if (Math.abs(to - from) + 1 + indices.length > IDS_PER_REFERENCE_MAX) fail(`'${ref.name}' ranges over more than ${IDS_PER_REFERENCE_MAX} indices`);
    for (let i = from; step > 0 ? i <= to : i >= to; i += step) indices.push(i);
  };
  for (const r of ref.ranges as Range[]) {
    if (r.kind === 'only') push(r.n, r.n);
    else if (r.kind === 'fromTo') push(r.from, r.to);
    else if (r.kind === 'to') push(0, r.to);
    else if (r.kind === 'from') {
      if (count === 0) fail(`unknown reference: '${ref.name}' is no array`);
      if (r.from <= count - 1) push(r.from, count - 1);
    } else {
      if (count === 0) fail(`unknown reference: '${ref.name}' is no array`);
      push(0, count - 1);
    }
  }
  return indices.map((i) => idOf(ref.name, i));
}

function firstNumber(params: CapParam[], kind: 'badge' | 'guard' | 'guard_size'): number {
  for (const p of params) if (p.kind === kind) return p.n;
  return 0;
}

/** Which parameters a capability to an object of each kind takes (capDL-tool's validCapPars). */
function allowedParams(type: string): Set<CapParam['kind']> {
  if (type === 'ep' || type === 'notification') return new Set(['rights', 'badge']);
  if (type === 'smc') return new Set(['badge']);
  if (type === 'tcb') return new Set(['reply', 'master_reply']);
  if (type === 'cnode') return new Set(['guard', 'guard_size']);
  if (type === 'frame') return new Set(['rights', 'asid', 'cached', 'mapping']);
  if (['pd', 'pt', 'pml4', 'pdpt', 'pud', 'pgd'].includes(type)) return new Set(['asid']);
  return new Set();
}

function splitKey(key: string): [string, string] {
  const at = key.lastIndexOf('#');
  return [key.slice(0, at), key.slice(at + 1)];
}
