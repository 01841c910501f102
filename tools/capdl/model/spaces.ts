/**
 * What a thread can reach, as capDL-tool's STCC.hs walks it: its CSpace is every capability in
 * the CNodes reachable from the CNode capabilities in its TCB's slots (through CNode
 * capabilities inside them, each CNode once); its VSpace is every frame reachable from the
 * paging-structure capabilities in its TCB's slots. STCC starts the VSpace walk at page
 * directories only; this walk starts at any paging structure, so that aarch64 (pgd), x86_64
 * (pml4) and riscv descriptions are walked as well.
 */
import type { CapdlModel, ObjectCap } from './model.ts';

const PAGING = new Set(['pd', 'pt', 'pml4', 'pdpt', 'pud', 'pgd']);
/** A bound on the walk, in CNodes or paging structures visited per thread. */
const VISITS_MAX = 1_000_000;

export interface HeldCap {
  /** The CNode (or paging structure) and slot the capability sits in. */
  container: string;
  slot: number;
  cap: ObjectCap;
}

export interface CSpace {
  cnodes: string[];
  /** Every object capability in those CNodes, CNode capabilities included. */
  caps: HeldCap[];
  /** Control capabilities (irq_control, ...) found there. */
  controls: Array<{ container: string; slot: number; control: string }>;
}

export function cspaceOf(model: CapdlModel, tcb: string): CSpace {
  const out: CSpace = { cnodes: [], caps: [], controls: [] };
  const roots = [...(model.objects.get(tcb)?.slots.values() ?? [])].filter((c): c is ObjectCap => c.kind === 'object' && c.targetType === 'cnode');
  const seen = new Set<string>();
  const queue = roots.map((c) => c.target);
  while (queue.length > 0) {
    const cnode = queue.shift() as string;
    if (seen.has(cnode)) continue;
    if (seen.size >= VISITS_MAX) throw new RangeError(`the CSpace of ${tcb} has more than ${VISITS_MAX} CNodes`);
    seen.add(cnode);
    out.cnodes.push(cnode);
    for (const [slot, cap] of model.objects.get(cnode)?.slots ?? []) {
      if (cap.kind === 'control') {
        out.controls.push({ container: cnode, slot, control: cap.control });
        continue;
      }
      out.caps.push({ container: cnode, slot, cap });
      if (cap.targetType === 'cnode') queue.push(cap.target);
    }
  }
  return out;
}

/** The frame capabilities mapped in the thread's address space. */
export function vspaceFramesOf(model: CapdlModel, tcb: string): HeldCap[] {
  const frames: HeldCap[] = [];
  const roots = [...(model.objects.get(tcb)?.slots.values() ?? [])].filter((c): c is ObjectCap => c.kind === 'object' && PAGING.has(c.targetType));
  const seen = new Set<string>();
  const queue = roots.map((c) => c.target);
  while (queue.length > 0) {
    const table = queue.shift() as string;
    if (seen.has(table)) continue;
    if (seen.size >= VISITS_MAX) throw new RangeError(`the address space of ${tcb} has more than ${VISITS_MAX} paging structures`);
    seen.add(table);
    for (const [slot, cap] of model.objects.get(table)?.slots ?? []) {
      if (cap.kind !== 'object') continue;
      if (cap.targetType === 'frame') frames.push({ container: table, slot, cap });
      else if (PAGING.has(cap.targetType)) queue.push(cap.target);
    }
  }
  return frames;
}

/** TCB IDs in declaration order. */
export function tcbsOf(model: CapdlModel): string[] {
  return [...model.objects.values()].filter((o) => o.type === 'tcb').map((o) => o.id);
}
