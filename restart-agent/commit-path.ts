/**
 * The commit path (explicit persistence, as Coyotos). After a crank, the kernel's change set
 * becomes one store transaction:
 *   - every changed registration is rewritten whole: command line, restart policy and the
 *     named capability set as persistent references (swizzled here and nowhere else);
 *   - every reference carries its derivation record: the capId of its nearest persisted
 *     ancestor, so a revoke after a restart still reaches it;
 *   - objects named for the first time get their records (endpoint owner, storage data);
 *   - storage objects that are persisted and changed get their new version.
 * Because revoke removes names (and so marks their holders' registrations changed) in the
 * same crank, a revocation reaches the database in the same atomic batch as everything else
 * the crank did (DESIGN.md I2, I5).
 */
import type { Capability, Changes, Kernel, KObject, ObjectId, Process, RestartPolicy } from '../kernel/index.ts';
import { DEFAULT_POLICY } from '../kernel/index.ts';
import type { ObjectRecord, PersistentRef, Registration, StorageRecord } from '../store/index.ts';
import { toRef, toStoredArgs, toStoredData } from './swizzle.ts';

/** The record writes the commit path makes: a store transaction, or an observer's recording wrapper around one. */
export interface RecordWriter {
  putRegistration(r: Registration): void;
  deleteRegistration(id: ObjectId): void;
  putObject(o: ObjectRecord): void;
  deleteObject(id: ObjectId): void;
  putStorage(s: StorageRecord): void;
  deleteStorage(id: ObjectId): void;
}

/**
 * A variant of the commit path, injected by its System (SystemOptions.variant): where a
 * deliberately broken agent (broken-variants.ts) departs from this one. The faithful agent has none.
 */
export interface CommitVariant {
  /** The writer this crank's records go through, in place of `tx`. */
  writer?(kernel: Kernel, tx: RecordWriter): RecordWriter;
  /** False when this crank's registrations (and the objects they name first) are not to be written. */
  rewritesRegistrations?(changes: Changes): boolean;
}

/** What the agent knows the database holds, so that it writes each object record once. */
export interface CommitBook {
  persistedObjects: Set<ObjectId>;
  policies: Map<ObjectId, RestartPolicy>;
}

export function newBook(): CommitBook {
  return { persistedObjects: new Set(), policies: new Map() };
}

export function writeChanges(kernel: Kernel, changes: Changes, book: CommitBook, tx: RecordWriter, nextCapId: () => number, variant: CommitVariant | null = null): void {
  let rewrite = true;
  if (variant !== null) {
    if (variant.writer !== undefined) tx = variant.writer(kernel, tx);
    if (variant.rewritesRegistrations !== undefined) rewrite = variant.rewritesRegistrations(changes);
  }
  const dirty = [...changes.registrations].sort((a, b) => a.id - b.id);

  // Pass 1: data of storage objects already in the database. One named for the first time in
  // this crank is written whole by pass 3, so no object is put twice in one batch.
  for (const s of changes.storage) {
    if (s.alive && book.persistedObjects.has(s.id)) tx.putStorage({ id: s.id, version: s.version, data: toStoredData(s.data) });
  }

  // Pass 2: every named capability of a changed, live registration gets its capId, so that
  // pass 3 can name any of them as another's parent.
  for (const p of dirty) {
    if (!p.alive || p.store === null) continue;
    for (const cap of p.named.values()) {
      if (cap.capId !== 0) continue;
      cap.capId = nextCapId();
      // The capId is part of what a checkpoint records of this process's c-list.
      p.capsTouched = true;
    }
  }

  // Pass 3: registrations, and the records of objects they name for the first time.
  if (!rewrite) return;
  for (const p of dirty) {
    if (p.store === null) continue;
    if (!p.alive) {
      tx.deleteRegistration(p.id);
      for (const o of kernel.objects.values()) {
        if (o.kind === 'endpoint' && o.owner === p && book.persistedObjects.delete(o.id)) tx.deleteObject(o.id);
      }
      continue;
    }
    const caps: Record<string, PersistentRef> = {};
    for (const name of [...p.named.keys()].sort()) {
      const cap = p.named.get(name) as Capability;
      persistObject(cap.object, book, tx);
      caps[name] = toRef(cap);
    }
    tx.putRegistration(registrationOf(p, caps, book));
  }
}

function registrationOf(p: Process, caps: Record<string, PersistentRef>, book: CommitBook): Registration {
  return {
    id: p.id,
    program: p.program,
    args: toStoredArgs(p.args),
    caps,
    policy: { ...(book.policies.get(p.id) ?? DEFAULT_POLICY) },
    generation: p.generation,
  };
}

function persistObject(o: KObject, book: CommitBook, tx: RecordWriter): void {
  if (book.persistedObjects.has(o.id)) return;
  switch (o.kind) {
    case 'endpoint':
      tx.putObject({ id: o.id, kind: 'endpoint', owner: o.owner.id });
      break;
    case 'store':
      tx.putObject({ id: o.id, kind: 'store', owner: o.owner.id });
      break;
    case 'gatekeeper':
      tx.putObject({ id: o.id, kind: 'gatekeeper', owner: null });
      break;
    case 'storage':
      tx.putStorage({ id: o.id, version: o.version, data: toStoredData(o.data) });
      break;
    case 'process':
    case 'reply':
      // Processes persist as registrations; replies are one-shot and never named.
      return;
  }
  book.persistedObjects.add(o.id);
}
