/** Helpers for the example suites: a system on a fresh in-memory disk, and lookups by label. */
import { expect } from 'vitest';
import type { ObjectId, PlainData, Process, SystemSpec } from '../../kernel/index.ts';
import { System, formatReport, type RestartReport, type SystemOptions } from '../../restart-agent/index.ts';
import { MemoryDisk } from '../../store/index.ts';

export async function fresh(spec: SystemSpec, opts: Omit<SystemOptions, 'spec' | 'store'> = {}): Promise<{ system: System; disk: MemoryDisk }> {
  const disk = new MemoryDisk();
  const system = await System.create({ spec, store: { backend: 'memory', disk }, seed: 1, ...opts });
  return { system, disk };
}

/** The id of a labelled process, endpoint or storage object (labels are known until the first restart). */
export function idOf(labels: ReadonlyMap<string, ObjectId>, label: string): ObjectId {
  const id = labels.get(label);
  if (id === undefined) throw new Error(`no label '${label}'`);
  return id;
}

export function proc(system: System, pid: ObjectId): Process {
  return system.kernel.process(pid);
}

/** The data of the storage object process `pid` holds under `name`. */
export function stored(system: System, pid: ObjectId, name: string): PlainData {
  const cap = proc(system, pid).named.get(name);
  if (cap === undefined || cap.object.kind !== 'storage') throw new Error(`p${pid} names no storage object '${name}'`);
  return cap.object.data;
}

/** Runs until the system is idle with no input left (or `max` cranks); returns the cranks run. */
export async function runToIdle(system: System, max = 100_000): Promise<number> {
  const n = await system.run(max);
  expect(n, 'the run did not come to rest').toBeLessThan(max);
  return n;
}

/** The restart's invariant verdicts that apply to every example must all be 'ok'. */
export function expectSound(report: RestartReport, context: string): void {
  for (const name of ['I3 fidelity', 'I4 no amplification', 'I5 revocation', 'I6 unique IDs']) {
    expect(report.invariants[name], `${context}: ${name}\n${formatReport(report)}`).toBe('ok');
  }
}
