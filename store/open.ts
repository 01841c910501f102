/**
 * openStore: picks the backend, wraps it in the fault layer if asked, and checks that what it
 * opened is a capsim store of this schema before anyone reads a record. Then it reads the
 * store's account and its witness (account.ts, witness.ts): a store whose account is older
 * than its witness was rolled back, and one with records but no account cannot vouch for
 * them. Either is refused (StoreError 'rolled_back' / 'damaged') unless opened with `inspect`,
 * which opens anything readable, refuses every write, and leaves the findings on
 * `store.findings` for verify to name.
 */
import { FaultKv } from './backend/fault-layer.ts';
import type { Kv } from './backend/kv.ts';
import { MemoryDisk } from './backend/memory-disk.ts';
import { DEFAULT_CLASSIC_PATH, openClassic, openMemory } from './backend/open-backend.ts';
import { VALUE_FORMAT } from './codec.ts';
import { DamageReason } from './codec.ts';
import { StoreError } from './errors.ts';
import { META_KEY, META_NAME, SCHEMA_VERSION, decodeMeta, putMeta } from './keepers/meta.ts';
import { WHOLE_RANGE } from './keys.ts';
import type { Meta } from './records.ts';
import { GROUP_COMMIT_MAX, Store } from './store.ts';
import { ACCOUNT_KEY, ACCOUNT_NAME, decodeAccount, emptyAccount, putAccount, sameSum, totalOf, type Account } from './account.ts';
import { Ledger, type AccountFinding } from './ledger.ts';
import { FileWitness, MemoryWitness, type WitnessHome } from './witness.ts';
import { openClassicForInspection } from './backend/open-backend.ts';

export interface OpenOptions {
  /** 'classic' (default): a LevelDB folder; 'memory': a MemoryDisk, for fast tests. */
  backend?: 'classic' | 'memory';
  /** classic only; default ./.capsim/default. */
  path?: string;
  /** memory only: the disk to open (to reopen after a simulated power loss); default a fresh one. */
  disk?: MemoryDisk;
  /** Create the store if it is missing; default true. */
  create?: boolean;
  /** Put the fault layer between the store and its backend (store.faults); default false. */
  faults?: boolean;
  /** Transactions per batch for sync:false commits; default 1 (see store.ts). */
  groupCommit?: number;
  /**
   * Open to look, never to write (default false): a rolled-back store or one without an account
   * opens anyway, its findings on store.findings; a classic store the process may not write is
   * opened from a copy (store.copyOf says so). Every write is refused.
   */
  inspect?: boolean;
  /**
   * Open a store that would be refused (rolled back, no account) in order to repair it: its
   * findings are on store.findings and writes are allowed (default false). Only repair uses it.
   */
  repair?: boolean;
}

/** ObjectIds start at 1, so that 0 can never name an object by accident. */
const FIRST_ID = 1;

export async function openStore(opts: OpenOptions = {}): Promise<Store> {
  const backend = opts.backend ?? 'classic';
  const create = opts.create ?? true;
  const groupCommit = opts.groupCommit ?? 1;
  if (backend !== 'classic' && backend !== 'memory') throw new StoreError('invalid', `unknown backend ${String(backend)}`);
  if (!Number.isSafeInteger(groupCommit) || groupCommit < 1 || groupCommit > GROUP_COMMIT_MAX) {
    throw new StoreError('invalid', `groupCommit must be an integer in 1..${GROUP_COMMIT_MAX}, not ${groupCommit}`);
  }
  const inspect = opts.inspect === true;
  const disk = backend === 'memory' ? (opts.disk ?? new MemoryDisk()) : null;
  const path = opts.path ?? DEFAULT_CLASSIC_PATH;
  let copyOf: string | null = null;
  let folder = path;
  let level;
  if (disk !== null) level = await openMemory(disk);
  else if (inspect) ({ kv: level, folder, copyOf } = await openClassicForInspection(path));
  else level = await openClassic(path, create && !inspect);
  const faults = opts.faults === true ? new FaultKv(level) : null;
  const kv: Kv = faults ?? level;
  const witness: WitnessHome = disk !== null ? new MemoryWitness(disk) : new FileWitness(folder);
  const description = disk !== null ? 'the memory store' : `the store at ${path}`;
  try {
    const fresh = (await kv.get(META_KEY)) === undefined;
    const meta = await readMeta(kv, create && !inspect);
    const { account, findings } = await readAccount(kv, witness, fresh);
    if (!inspect && opts.repair !== true) refuseFindings(findings, description);
    return new Store({ kv, meta, groupCommit, faults, disk, description, ledger: new Ledger(account, findings), witness, inspect, copyOf });
  } catch (error) {
    await kv.close();
    throw error;
  }
}

/**
 * The account, and what the open finds wrong with it. A store just made gets its first account
 * (with the first meta, synced, so the witness starts at once).
 */
async function readAccount(kv: Kv, witness: WitnessHome, fresh: boolean): Promise<{ account: Account; findings: AccountFinding[] }> {
  const findings: AccountFinding[] = [];
  const value = await kv.get(ACCOUNT_KEY);
  if (value === undefined) {
    findings.push({ kind: 'no_account', record: ACCOUNT_NAME, reason: 'the account record is missing: what the store should hold is unknown' });
    return { account: emptyAccount(), findings };
  }
  let account: Account;
  try {
    account = decodeAccount(value);
  } catch (error) {
    findings.push({ kind: 'no_account', record: ACCOUNT_NAME, reason: `the account record is damaged: ${(error as Error).message}` });
    return { account: emptyAccount(), findings };
  }
  if (fresh) {
    witness.write({ seq: account.seq, total: totalOf(account) });
    return { account, findings };
  }
  const seen = witness.read();
  const newest = seen.newest;
  if (newest !== null && newest.seq > account.seq) {
    findings.push({ kind: 'rolled_back', record: 'store', reason: `rolled back: the witness saw commit ${newest.seq} synced, the store holds commits up to ${account.seq}; commits ${account.seq + 1}..${newest.seq} are lost` });
  } else if (newest !== null && newest.seq === account.seq && !sameSum(newest.total, totalOf(account))) {
    findings.push({ kind: 'rolled_back', record: 'store', reason: `commit ${account.seq} differs from the one the witness saw synced: the store was replaced or rolled back and written again` });
  }
  return { account, findings };
}

function refuseFindings(findings: AccountFinding[], description: string): void {
  const first = findings[0];
  if (first === undefined) return;
  const more = findings.length > 1 ? ` (and ${findings.length - 1} more)` : '';
  const hint = 'capsim verify names what is wrong; capsim repair makes it consistent again';
  const code = first.kind === 'rolled_back' ? 'rolled_back' : 'damaged';
  throw new StoreError(code, `${description}: ${first.reason}${more}; ${hint}`, { record: first.record });
}

/** Reads meta, or writes the first one (synced) into an empty database when create allows. */
async function readMeta(kv: Kv, create: boolean): Promise<Meta> {
  const value = await kv.get(META_KEY);
  if (value === undefined) {
    if (!(await isEmpty(kv))) throw new StoreError('not_a_store', 'the database holds records but no capsim meta record');
    if (!create) throw new StoreError('not_found', 'the database is empty');
    const meta: Meta = { schemaVersion: SCHEMA_VERSION, idHighWater: FIRST_ID, bootCount: 0 };
    const account = emptyAccount();
    account.seq = 1;
    await kv.write([putMeta(meta), putAccount(account)], true);
    return meta;
  }
  if (value.length > 0 && value[0] !== VALUE_FORMAT) {
    throw new StoreError('schema_mismatch', `values are in format ${value[0]}; this capsim reads format ${VALUE_FORMAT}`, { record: META_NAME });
  }
  let decoded: ReturnType<typeof decodeMeta>;
  try {
    decoded = decodeMeta(value);
  } catch (error) {
    if (error instanceof DamageReason) throw new StoreError('damaged', error.message, { record: META_NAME, cause: error });
    throw error;
  }
  if (decoded.meta === null) {
    throw new StoreError('schema_mismatch', `the store has schema version ${decoded.schemaVersion}; this capsim reads ${SCHEMA_VERSION}`, { record: META_NAME });
  }
  return decoded.meta;
}

async function isEmpty(kv: Kv): Promise<boolean> {
  for await (const chunk of kv.chunks(WHOLE_RANGE)) if (chunk.length > 0) return false;
  return true;
}
