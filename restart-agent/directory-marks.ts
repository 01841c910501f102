/**
 * What the directory says about the system a store holds: its name (`/system/<name>`, so a
 * store is never booted with another system's programs), its persistence model
 * (`/model/<name>`, so a later open uses the same), and its labelled objects (`/labels/<label>`,
 * found again after a restart to address external inputs).
 */
import type { ObjectId } from '../kernel/index.ts';
import type { Store } from '../store/index.ts';
import { MODEL_NAME, PERSISTENCE_MODELS } from './models/registry.ts';

const LABEL_PREFIX = '/labels/';
const SYSTEM_PREFIX = '/system/';
const MODEL_PREFIX = '/model/';

/** Writes the marks into a transaction (or anything with putDirectory). */
export function putMarks(tx: { putDirectory(path: string, id: number): void }, marks: { labels: ReadonlyMap<string, ObjectId>; system: string; model: string }): void {
  for (const [label, id] of marks.labels) tx.putDirectory(LABEL_PREFIX + label, id);
  tx.putDirectory(SYSTEM_PREFIX + marks.system, [...marks.labels.values()][0] ?? 0);
  tx.putDirectory(MODEL_PREFIX + marks.model, 0);
}

/** The labels, and the directory entries that could not be read (named, for error messages). */
export async function readLabels(store: Store): Promise<{ labels: Map<string, ObjectId>; damaged: string[] }> {
  const labels = new Map<string, ObjectId>();
  const damaged: string[] = [];
  for await (const entry of store.directory.scan()) {
    if ('damaged' in entry) damaged.push(entry.record);
    else if (entry.path.startsWith(LABEL_PREFIX)) labels.set(entry.path.slice(LABEL_PREFIX.length), entry.id);
  }
  return { labels, damaged };
}

/** True when the store names `system` as the system it holds. */
export async function holdsSystem(store: Store, system: string): Promise<boolean> {
  return (await store.directory.get(SYSTEM_PREFIX + system)) !== undefined;
}

/** The name of the system a store holds, or null. */
export async function heldSystemName(store: Store): Promise<string | null> {
  let holds: string | null = null;
  for await (const entry of store.directory.scan()) {
    if (!('damaged' in entry) && entry.path.startsWith(SYSTEM_PREFIX)) holds = entry.path.slice(SYSTEM_PREFIX.length);
  }
  return holds;
}

/**
 * The name of the model a store was created with, or null (a store made before models were
 * recorded). Built-ins are found by point reads; a model of the user's own by a scan, which only
 * a store made with one needs.
 */
export async function storedModel(store: Store): Promise<string | null> {
  for (const model of PERSISTENCE_MODELS) if ((await store.directory.get(MODEL_PREFIX + model)) !== undefined) return model;
  for await (const entry of store.directory.scan()) {
    if (!('damaged' in entry) && entry.path.startsWith(MODEL_PREFIX) && MODEL_NAME.test(entry.path.slice(MODEL_PREFIX.length))) return entry.path.slice(MODEL_PREFIX.length);
  }
  return null;
}

/** True when the label of `system` and a model mark are both there (point reads; a damaged one throws). */
export async function hasMarks(store: Store, system: string): Promise<boolean> {
  if (!(await holdsSystem(store, system))) return false;
  return (await storedModel(store)) !== null;
}

/** The system label and model mark as the directory holds them, and the marks that could not be read. */
export interface Marks {
  system: string | null;
  model: string | null;
  /** Names of damaged directory entries under /system/ or /model/. */
  damaged: string[];
}

export async function readMarks(store: Store): Promise<Marks> {
  const marks: Marks = { system: null, model: null, damaged: [] };
  for await (const entry of store.directory.scan()) {
    if ('damaged' in entry) {
      if (/^directory "\/(system|model)\//.test(entry.record)) marks.damaged.push(entry.record);
      continue;
    }
    if (entry.path.startsWith(SYSTEM_PREFIX)) marks.system = entry.path.slice(SYSTEM_PREFIX.length);
    const model = entry.path.startsWith(MODEL_PREFIX) ? entry.path.slice(MODEL_PREFIX.length) : null;
    if (model !== null && MODEL_NAME.test(model)) marks.model = model;
  }
  return marks;
}

/**
 * What is wrong with the marks of a store that holds a system (registrations or checkpoints):
 * a damaged mark, a missing system label, a missing model mark. Boot refuses such a store rather
 * than guess which system or model it holds.
 */
export function markProblems(marks: Marks): { record: string; reason: string }[] {
  const out = marks.damaged.map((record) => ({ record, reason: 'this mark of the system the store holds is damaged' }));
  if (marks.system === null && !marks.damaged.some((r) => r.includes(SYSTEM_PREFIX))) {
    out.push({ record: 'system label', reason: `the directory entry ${SYSTEM_PREFIX}<name> naming the system the store holds is missing` });
  }
  if (marks.model === null && !marks.damaged.some((r) => r.includes(MODEL_PREFIX))) {
    out.push({ record: 'model mark', reason: `the directory entry ${MODEL_PREFIX}<model> naming the store's persistence model is missing` });
  }
  return out;
}

/** Writes one mark again (repair): the system label or the model mark, as putMarks writes them. */
export function putMark(tx: { putDirectory(path: string, id: number): void }, mark: { system: string } | { model: string }): void {
  if ('system' in mark) tx.putDirectory(SYSTEM_PREFIX + mark.system, 0);
  else tx.putDirectory(MODEL_PREFIX + mark.model, 0);
}
