/**
 * capDL's syntax as written, before any name is resolved: the sections of a module and their
 * declarations, each with the position it starts at. Follows the grammar of capDL-tool
 * (CapDL/Parser.hs, CapDL/ParserUtils.hs) and its specification (doc/capDL.md).
 */
import type { SourcePosition } from './errors.ts';

export const ARCHES = ['ia32', 'arm11', 'x86_64', 'aarch64', 'riscv'] as const;
export type Arch = (typeof ARCHES)[number];

export const OBJECT_TYPES = [
  'ep', 'notification', 'tcb', 'cnode', 'ut', 'irq', 'ioapic_irq', 'msi_irq', 'arm_irq', 'asid_pool',
  'pt', 'pd', 'pml4', 'pdpt', 'pud', 'pgd', 'frame', 'io_ports', 'io_device', 'arm_io_device', 'io_pt',
  'vcpu', 'sc', 'rtreply', 'streamid', 'contextbank', 'smc', 'arm_sgi_signal',
] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** One index range inside brackets: `a..b`, `..b`, `a..`, `a`; `[]` is All. */
export type Range =
  | { kind: 'only'; n: number }
  | { kind: 'fromTo'; from: number; to: number }
  | { kind: 'from'; from: number }
  | { kind: 'to'; to: number }
  | { kind: 'all' };

export interface NameRef {
  name: string;
  /** Empty: the plain name; else the ranges written in brackets. */
  ranges: Range[];
  pos: SourcePosition;
}

export type ObjParam =
  | { kind: 'bits'; n: number }
  | { kind: 'vmSize'; bytes: number }
  | { kind: 'pci'; bus: number; dev: number; fun: number }
  | { kind: 'init'; args: number[] }
  | { kind: 'ports'; from: number; to: number }
  | { kind: 'fill'; entries: string[][] }
  /** Every other `key: value` parameter (dom, prio, paddr, fault_ep, trigger, ...). */
  | { kind: 'keyed'; key: string; value: number | boolean | string };

export interface ObjectDecl {
  qname: NameRef[];
  type: ObjectType;
  params: ObjParam[];
  /** An untyped's nested declarations and the names it covers. */
  nested: Array<{ decl: ObjectDecl } | { ref: NameRef }>;
  pos: SourcePosition;
}

/** R, W, G (X is Grant too, as capDL-tool reads it) and P (grant-reply). */
export type Right = 'R' | 'W' | 'G' | 'P';

export type CapParam =
  | { kind: 'rights'; rights: Right[] }
  | { kind: 'masked'; rights: Right[] }
  | { kind: 'guard'; n: number }
  | { kind: 'guard_size'; n: number }
  | { kind: 'badge'; n: number }
  | { kind: 'core'; n: number }
  | { kind: 'reply' }
  | { kind: 'master_reply' }
  | { kind: 'asid'; high: number; low: number }
  | { kind: 'cached'; cached: boolean }
  | { kind: 'mapping'; container: NameRef; slot: number };

export type SlotRef = { kind: 'slot'; container: NameRef; slot: number; pos: SourcePosition } | { kind: 'name'; ref: NameRef; pos: SourcePosition };

export interface CapMappingDecl {
  slot: number | null;
  /** `name =` before the capability: a name for its slot. */
  slotName: NameRef | null;
  /** The object (or control cap) named, or, for a copy, the slot name in `<...>`. */
  target: NameRef;
  copy: boolean;
  params: CapParam[];
  parent: SlotRef | null;
  pos: SourcePosition;
}

export type Decl =
  | { kind: 'object'; decl: ObjectDecl }
  | { kind: 'capName'; name: string; container: NameRef; slot: number; pos: SourcePosition }
  | { kind: 'caps'; containers: NameRef; mappings: CapMappingDecl[]; pos: SourcePosition }
  | { kind: 'irqs'; mappings: Array<{ irq: number | null; target: NameRef }>; pos: SourcePosition }
  | { kind: 'cdt'; tree: CdtNode; pos: SourcePosition }
  | { kind: 'domains'; items: DomainItem[]; pos: SourcePosition };

export interface CdtNode {
  parent: SlotRef;
  children: Array<SlotRef | CdtNode>;
}

export type DomainItem =
  | { kind: 'schedule'; entries: Array<[number, number]> }
  | { kind: 'start'; index: number | null }
  | { kind: 'shift'; n: number };

export interface CapdlModule {
  arch: Arch;
  decls: Decl[];
}
