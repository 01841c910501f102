/**
 * The persistent projection of a system: what the database must say about it under the explicit
 * model — each live persistent process's command line and named capabilities (target, kind,
 * rights, badge), and the data of every storage object one of them names. It is computed two
 * ways, from the live kernel at a crank boundary and from the records on the disk, so that a
 * judge can ask "does the disk equal the system at some crank boundary?" without trusting the
 * commit path's own idea of what it wrote (the observer records the batches it was handed; a
 * commit path that splits a crank across two batches fools it, not this).
 */
import type { Kernel, PlainData, Process } from '../../kernel/index.ts';
import { canonicalText, type StoreLocation } from '../../restart-agent/index.ts';
import { isDamaged, openStore, type Registration, type StorageRecord } from '../../store/index.ts';

export interface Projection {
  /** "registration/<pid>" or "storage/<id>" → a canonical text of what it must hold. */
  records: Map<string, string>;
  /** "storage/<id>" → the registrations that name it: it is there because they are. */
  namedBy: Map<string, string[]>;
}

function emptyProjection(): Projection {
  return { records: new Map(), namedBy: new Map() };
}

function addStorage(out: Projection, key: string, text: string, by: string): void {
  out.records.set(key, text);
  const names = out.namedBy.get(key);
  if (names === undefined) out.namedBy.set(key, [by]);
  else names.push(by);
}

/** Stable text of plain data: object keys sorted, byte arrays as arrays (Buffer and Uint8Array alike). */
export function stableText(value: unknown): string {
  return canonicalText(value, 'as-bytes');
}

type Names = Record<string, [string, number, number, number]>;

function registrationText(program: string, args: readonly unknown[], names: Names): string {
  return stableText({ program, args, names });
}

/**
 * A process's registration text as last computed, with each named capability as the text shows
 * it (a process's command line never changes). A judge computes the projection at every crank
 * boundary and most cranks change no registration: comparing the names costs a fraction of
 * writing the canonical text again, which was a sixth of a checked run. Nothing is trusted but
 * the comparison.
 */
interface RegistrationMemo {
  /** name, kind, id, rights, badge, for each named capability, in the Map's order. */
  named: (string | number)[];
  text: string;
}

const registrationMemos = new WeakMap<Process, RegistrationMemo>();

function sameNames(memo: RegistrationMemo, p: Process): boolean {
  if (memo.named.length !== p.named.size * 5) return false;
  let i = 0;
  for (const [name, cap] of p.named) {
    const o = cap.object;
    if (memo.named[i] !== name || memo.named[i + 1] !== o.kind || memo.named[i + 2] !== o.id || memo.named[i + 3] !== cap.rights || memo.named[i + 4] !== cap.badge) return false;
    i += 5;
  }
  return true;
}

function registrationOf(p: Process): string {
  const memo = registrationMemos.get(p);
  if (memo !== undefined && sameNames(memo, p)) return memo.text;
  const names: Names = {};
  const named: (string | number)[] = [];
  for (const [name, cap] of p.named) {
    names[name] = [cap.object.kind, cap.object.id, cap.rights, cap.badge];
    named.push(name, cap.object.kind, cap.object.id, cap.rights, cap.badge);
  }
  const text = registrationText(p.program, p.args, names);
  registrationMemos.set(p, { named, text });
  return text;
}

/**
 * Storage data is deeply frozen by the kernel (freezePlain), so its text is kept by the data's
 * identity; data that is not frozen (put there by other hands than the kernel's) is written afresh.
 */
const storageTexts = new WeakMap<object, string>();

function storageText(data: PlainData): string {
  if (typeof data !== 'object' || data === null || !Object.isFrozen(data)) return stableText(data);
  let text = storageTexts.get(data);
  if (text === undefined) storageTexts.set(data, (text = stableText(data)));
  return text;
}

/** The projection of a live kernel (call it at a crank boundary). */
export function projectKernel(kernel: Kernel): Projection {
  const out = emptyProjection();
  for (const p of kernel.processes()) {
    if (!p.alive || p.store === null) continue;
    const key = `registration/${p.id}`;
    for (const cap of p.named.values()) {
      if (cap.object.kind === 'storage' && cap.object.alive) addStorage(out, `storage/${cap.object.id}`, storageText(cap.object.data), key);
    }
    out.records.set(key, registrationOf(p));
  }
  return out;
}

export interface DiskProjection {
  projection: Projection;
  /** Keys of records the disk holds damaged: a judge leaves them out on both sides. */
  damaged: Set<string>;
}

/** The projection of the records at a location (opened, read and closed again; nothing written). */
export async function projectDisk(location: StoreLocation): Promise<DiskProjection> {
  const store = await (location.backend === 'memory'
    ? openStore({ backend: 'memory', disk: location.disk, create: false })
    : openStore({ backend: 'classic', path: location.path, create: false }));
  try {
    const damaged = new Set<string>();
    const registrations: Registration[] = [];
    const storage = new Map<number, StorageRecord>();
    for await (const r of store.registrations.scan()) {
      if (isDamaged(r)) damaged.add(r.record.replace(' ', '/'));
      else registrations.push(r);
    }
    for await (const s of store.storage.scan()) {
      if (isDamaged(s)) damaged.add(s.record.replace(' ', '/'));
      else storage.set(s.id, s);
    }
    const out = emptyProjection();
    for (const r of registrations) {
      const names: Names = {};
      const by = `registration/${r.id}`;
      for (const [name, ref] of Object.entries(r.caps)) {
        names[name] = [ref.kind, ref.target, ref.rights, ref.badge];
        if (ref.kind !== 'storage') continue;
        const s = storage.get(ref.target);
        const key = `storage/${ref.target}`;
        if (s !== undefined) addStorage(out, key, stableText(s.data as PlainData), by);
        else if (!damaged.has(key)) addStorage(out, key, '(no record)', by);
      }
      out.records.set(by, registrationText(r.program, r.args, names));
    }
    return { projection: out, damaged };
  } finally {
    await store.close();
  }
}

/**
 * The first difference between two projections, leaving out `damaged` keys — and storage that
 * only damaged registrations name, since nothing readable says it should be there; null when equal.
 */
export function projectionDiff(expected: Projection, actual: Projection, damaged: ReadonlySet<string>): string | null {
  const ignored = (p: Projection, key: string): boolean => damaged.has(key) || (p.namedBy.get(key)?.every((by) => damaged.has(by)) ?? false);
  for (const [key, value] of expected.records) {
    if (ignored(expected, key)) continue;
    const got = actual.records.get(key);
    if (got === undefined) return `${key} is missing (expected ${clip(value)})`;
    if (got !== value) return `${key} is ${clip(got)}, expected ${clip(value)}`;
  }
  for (const [key, value] of actual.records) if (!expected.records.has(key) && !ignored(actual, key)) return `${key} should not be there (it holds ${clip(value)})`;
  return null;
}

function clip(text: string): string {
  return text.length <= 160 ? text : `${text.slice(0, 157)}...`;
}
