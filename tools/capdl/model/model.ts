/**
 * A capDL description after its names are resolved: every object under its ID (`name` or
 * `name[i]`), every capability in its container's slot, untyped covers, IRQ mappings, the
 * derivation tree and the domain schedule — capDL-tool's Model, in TypeScript.
 */
import type { Arch, DomainItem, ObjParam, ObjectType, Right } from '../syntax/ast.ts';
import type { SourcePosition } from '../syntax/errors.ts';
import type { CapsimNote } from '../syntax/lexer.ts';

/** Caps that name no object (capDL-tool's capStrings). */
export const CONTROL_CAPS = ['io_space_master', 'asid_control', 'irq_control', 'domain', 'sched_control'] as const;
export type ControlCap = (typeof CONTROL_CAPS)[number];

export interface CapdlObject {
  /** `name` or `name[i]`. */
  id: string;
  type: ObjectType;
  params: ObjParam[];
  /** Slot number to capability, for the object kinds that hold capabilities. */
  slots: Map<number, CapdlCap>;
  pos: SourcePosition;
}

interface CapBase {
  /** The name this slot was given (`slot: name = ...`, or a cap name declaration), if any. */
  slotName: string | null;
  pos: SourcePosition;
}

export interface ObjectCap extends CapBase {
  kind: 'object';
  target: string;
  targetType: ObjectType;
  /** Distinct rights in R W G P order. */
  rights: Right[];
  badge: number;
  guard: number;
  guardSize: number;
  /** A TCB capability written `(reply)` or `(master_reply)`. */
  reply: 'reply' | 'master_reply' | null;
  asid: [number, number] | null;
  cached: boolean;
  /** Written as a copy `<name>` of this capability slot. */
  copiedFrom: string | null;
}

export interface ControlCapEntry extends CapBase {
  kind: 'control';
  control: ControlCap;
  core: number | null;
}

export type CapdlCap = ObjectCap | ControlCapEntry;

export interface CapRef {
  object: string;
  slot: number;
}

export interface CapdlModel {
  file: string;
  arch: Arch;
  /** In declaration order. */
  objects: Map<string, CapdlObject>;
  /** Untyped ID to the IDs it covers, in the order written. */
  covers: Map<string, string[]>;
  irqs: Map<number, string>;
  /** Child capability to its parent (from `- child_of` and the cdt section). */
  cdt: Array<{ child: CapRef; parent: CapRef }>;
  domains: DomainItem[];
  /** Cap names (global in capDL) to the slot they name. */
  capNames: Map<string, CapRef>;
  /** The `-- capsim:` comment lines, in order. */
  notes: CapsimNote[];
}

export const RIGHTS_ORDER: readonly Right[] = ['R', 'W', 'G', 'P'];

export function normaliseRights(rights: Iterable<Right>): Right[] {
  const set = new Set(rights);
  return RIGHTS_ORDER.filter((r) => set.has(r));
}

/** Object kinds whose capabilities carry rights, as capDL-tool's hasRights. */
export function takesRights(type: ObjectType): boolean {
  return type === 'ep' || type === 'notification' || type === 'frame';
}

/** Object kinds that hold capabilities in slots (capDL-tool's hasSlots). */
export function holdsSlots(type: ObjectType): boolean {
  return ['tcb', 'cnode', 'asid_pool', 'pt', 'pd', 'pml4', 'pdpt', 'pud', 'pgd', 'io_pt', 'io_device', 'arm_io_device', 'irq', 'ioapic_irq', 'msi_irq', 'arm_irq'].includes(type);
}
