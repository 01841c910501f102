/**
 * Helpers for the restart-agent suites: a system on a fresh in-memory disk, the invariant
 * verdicts of a restart with the failing ones printed, and lookups by program name.
 */
import { expect } from 'vitest';
import { System, formatReport, type RestartReport, type SystemOptions } from '../../../restart-agent/index.ts';
import { MemoryDisk } from '../../../store/index.ts';
import type { Process, SystemSpec } from '../../../kernel/index.ts';
import type { StorageObject } from '../../../kernel/objects/storage-object.ts';
import { persistedParent } from '../../../restart-agent/swizzle.ts';

export interface Fresh {
  system: System;
  disk: MemoryDisk;
}

export async function freshSystem(spec: SystemSpec, opts: Omit<SystemOptions, 'spec' | 'store'> = {}): Promise<Fresh> {
  const disk = new MemoryDisk();
  const system = await System.create({ spec, store: { backend: 'memory', disk }, seed: 1, ...opts });
  return { system, disk };
}

/** Every invariant verdict of a restart after a power loss must be 'ok'; prints the failing ones and the report. */
export function expectInvariantsOk(report: RestartReport, context: string): void {
  const failing = Object.entries(report.invariants).filter(([, v]) => v !== 'ok');
  if (failing.length > 0) {
    const lines = failing.map(([k, v]) => `  ${k}: ${v}`).join('\n');
    expect.fail(`${context}: invariant(s) failed\n${lines}\n${formatReport(report)}`);
  }
  // The checked set: a verdict that silently disappeared would pass the loop above.
  for (const name of ['I1 durability', 'I2 atomicity', 'I3 fidelity', 'I4 no amplification', 'I5 revocation', 'I6 unique IDs']) {
    expect(report.invariants[name], `${context}: verdict '${name}'`).toBe('ok');
  }
}

/** The one live process running `program`. */
export function processOf(system: System, program: string): Process {
  const found = [...system.kernel.processes()].filter((p) => p.program === program && p.alive);
  if (found.length !== 1) throw new Error(`expected one live '${program}' process, found ${found.length}`);
  return found[0] as Process;
}

/** The storage object a process names `name`. */
export function namedStorage(p: Process, name: string): StorageObject {
  const cap = p.named.get(name);
  if (cap === undefined || cap.object.kind !== 'storage') throw new Error(`p${p.id} names no storage object '${name}'`);
  return cap.object;
}

/**
 * The persistent capability graph as a test sees it, computed from the live kernel without the
 * agent's checkers: every named capability of every live persistent process, with its target,
 * rights, badge, capId and the capId of its nearest persisted ancestor (its derivation edge).
 */
export function capabilityGraph(system: System): string[] {
  const edges: string[] = [];
  for (const p of system.kernel.processes()) {
    if (!p.alive || p.store === null) continue;
    for (const [name, cap] of p.named) {
      const parent = persistedParent(cap)?.capId ?? null;
      edges.push(`p${p.id} ${p.program} '${name}' -> ${cap.object.kind} ${cap.object.id} rights ${cap.rights} badge ${cap.badge} cap ${cap.capId} under ${parent}`);
    }
  }
  return edges.sort();
}
