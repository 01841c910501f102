/**
 * The Store's side of the account (account.ts): the account as the last written batch left it,
 * and per record kind an index key → stored CRC of the records there, so that a batch that
 * overwrites or deletes a record can take the old record's hash out of the sum without reading
 * it back. An empty kind's index is complete from the start (and stays so as batches fill it);
 * for any other kind, the store reads the old value of each key a batch touches that the index
 * does not know (one point read per key), and the index remembers it from then on. Boot's scans
 * only sum: building an index of every record there cost a restart of 100,000 processes more
 * (in time and heap) than the point reads of the keys a run then touches.
 *
 * Every full scan is also a check: its sum is compared with the account, and a difference is
 * kept as a finding (`findings`), which boot refuses and verify names. A scan that overlapped a
 * write proves nothing (it may have seen half of the store's life) and is dropped.
 */
import { ACCOUNT_NAME, ACCOUNTED_KINDS, apply, copyAccount, describeDifference, emptySum, keyHash, putAccount, sameSum, storedCrc, type Account, type AccountedKind, type KindSum } from './account.ts';
import type { BatchOp } from './keepers/kind.ts';
import { ALL_KINDS } from './keepers/index.ts';

export type FindingKind = 'missing_or_extra' | 'rolled_back' | 'no_account';

/** Something the account shows wrong with the record set. */
export interface AccountFinding {
  kind: FindingKind;
  /** What is concerned: "registration records", "account", ... */
  record: string;
  reason: string;
}

/** A record kind by its key's first character. */
const KIND_OF_PREFIX = new Map<number, AccountedKind>();
for (const kind of ALL_KINDS) KIND_OF_PREFIX.set(kind.range.gte.charCodeAt(0), kind.label as AccountedKind);

export function accountedKindOf(key: string): AccountedKind | undefined {
  return KIND_OF_PREFIX.get(key.charCodeAt(0));
}

const DAMAGED_NAMED_MAX = 100;

/** A full scan of one kind in progress: its sum, and (for repair) the index it builds. */
export class Tally {
  readonly sum: KindSum = emptySum();
  /** Null unless asked for: boot's scans only sum, so a restart holds no key per record. */
  readonly index: Map<string, number> | null;
  /** Names of the values the scan found damaged (bounded: the first DAMAGED_NAMED_MAX). */
  readonly damagedNames: string[] = [];
  damaged = 0;

  noteDamaged(name: string): void {
    this.damaged++;
    if (this.damagedNames.length < DAMAGED_NAMED_MAX) this.damagedNames.push(name);
  }

  constructor(
    readonly kind: AccountedKind,
    readonly epoch: number,
    keepIndex = false,
  ) {
    this.index = keepIndex ? new Map() : null;
  }

  add(key: string, value: Uint8Array): void {
    const crc = storedCrc(value);
    apply(this.sum, keyHash(key), crc, 1);
    this.index?.set(key, crc);
  }
}

export interface PreparedBatch {
  ops: BatchOp[];
  next: Account;
  changes: [kind: AccountedKind, key: string, crc: number | null][];
}

export class Ledger {
  #account: Account;
  readonly #index = new Map<AccountedKind, Map<string, number>>();
  /** Kinds whose index holds every record of the kind. */
  readonly #complete = new Set<AccountedKind>();
  /** Kinds whose sum a full scan found equal to the account since open (or that were empty). */
  readonly #checked = new Set<AccountedKind>();
  /** Findings of the open (rolled back, no account) and of every full scan since. */
  readonly findings: AccountFinding[] = [];
  /** Damaged values the last full scan of each kind found, by name. */
  readonly #damaged = new Map<AccountedKind, string[]>();
  /** Odd while a write is under way; moves on every write, so a scan can tell it overlapped one. */
  #epoch = 0;

  /** A ledger whose account is what full scans found: complete indexes, no findings. */
  static fromTallies(seq: number, tallies: Tally[]): Ledger {
    const account = copyAccount({ seq, kinds: Object.fromEntries(tallies.map((t) => [t.kind, t.sum])) as Account['kinds'] });
    const ledger = new Ledger(account, []);
    for (const t of tallies) {
      // Damaged values' CRCs are what is stored, which is what a later overwrite must take out.
      ledger.#index.set(t.kind, t.index ?? new Map());
      ledger.#complete.add(t.kind);
      ledger.#checked.add(t.kind);
    }
    return ledger;
  }

  constructor(account: Account, openFindings: AccountFinding[]) {
    this.#account = account;
    this.findings.push(...openFindings);
    for (const k of ACCOUNTED_KINDS) {
      this.#index.set(k, new Map());
      if (account.kinds[k].count === 0) this.#complete.add(k);
    }
  }

  get account(): Account {
    return this.#account;
  }

  /** Keys the batch touches whose old value the index cannot tell: the store reads them first. */
  unknownKeys(ops: BatchOp[]): string[] {
    let out: string[] | null = null;
    for (const op of ops) {
      const kind = accountedKindOf(op.key);
      if (kind === undefined || this.#complete.has(kind) || this.#index.get(kind)!.has(op.key)) continue;
      out ??= [];
      out.push(op.key);
    }
    return out ?? NONE;
  }

  /**
   * The batch with the account record added, and what the index will say once it is written.
   * `read`: the old CRCs of the keys unknownKeys named (null: no record there).
   */
  prepare(ops: BatchOp[], read: ReadonlyMap<string, number | null> = NO_READS): PreparedBatch {
    const next = copyAccount(this.#account);
    next.seq++;
    const changes: PreparedBatch['changes'] = [];
    // Ops of one batch may touch one key twice: the later sees the earlier.
    const touched = new Map<string, number | null>();
    for (const op of ops) {
      const kind = accountedKindOf(op.key);
      if (kind === undefined) continue;
      const index = this.#index.get(kind)!;
      const known = index.get(op.key);
      const before = touched.has(op.key) ? touched.get(op.key)! : known !== undefined ? known : this.#complete.has(kind) ? null : read.get(op.key);
      if (before === undefined) throw new Error(`the old value of ${op.key} was not read before its batch`);
      const after = op.type === 'put' ? storedCrc(op.value!) : null;
      if (before === after) continue;
      const k = keyHash(op.key);
      const sum = next.kinds[kind];
      if (before !== null) apply(sum, k, before, -1);
      if (after !== null) apply(sum, k, after, 1);
      touched.set(op.key, after);
      changes.push([kind, op.key, after]);
    }
    return { ops: [...ops, putAccount(next)], next, changes };
  }

  writeStarted(): void {
    this.#epoch++;
  }

  /** After the batch is written (or failed: then nothing of it counts). */
  writeEnded(prepared: PreparedBatch, written: boolean): void {
    this.#epoch++;
    if (!written) return;
    this.#account = prepared.next;
    for (const [kind, key, crc] of prepared.changes) {
      const index = this.#index.get(kind)!;
      if (crc === null) index.delete(key);
      else index.set(key, crc);
    }
  }

  /** A tally for a full scan of `kind`, or null when a write is under way (the scan would prove nothing). */
  beginScan(kind: AccountedKind): Tally | null {
    return this.#epoch % 2 === 0 ? new Tally(kind, this.#epoch) : null;
  }

  /** Compares a finished full scan with the account; adopts its index when no write overlapped it. */
  endScan(tally: Tally): void {
    if (tally.epoch !== this.#epoch) return;
    this.#damaged.set(tally.kind, tally.damagedNames);
    const expected = this.#account.kinds[tally.kind];
    const countOnly = tally.damaged > 0;
    const same = countOnly ? expected.count === tally.sum.count : sameSum(expected, tally.sum);
    if (!same) {
      const record = `${tally.kind} records`;
      if (!this.findings.some((f) => f.record === record)) this.findings.push({ kind: 'missing_or_extra', record, reason: describeDifference(tally.kind, expected, tally.sum, false) });
      return;
    }
    this.#checked.add(tally.kind);
  }

  /** The damaged values the last full scan of `kind` named. */
  damagedIn(kind: AccountedKind): readonly string[] {
    return this.#damaged.get(kind) ?? [];
  }

  /** Kinds a full scan has checked against the account since open. */
  isChecked(kind: AccountedKind): boolean {
    return this.#checked.has(kind);
  }
}

const NONE: string[] = [];
const NO_READS: ReadonlyMap<string, number | null> = new Map();

export { ACCOUNT_NAME };
