/**
 * `capsim status --store DIR [--json]` — what a store holds, read without booting it: the
 * system it names, its persistence model and newest checkpoint, the schema version, boots so
 * far, the ID high-water mark and how many records of each kind. Counting reads every record,
 * so status also says what is wrong — damaged values, records missing or extra against the
 * account, a rollback, a missing mark — and exits 1 when anything is. Nothing is written.
 */
import { DEFAULT_STORE_DIR, storeFolder } from '../locate.ts';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { heldSystemName, latestCheckpoint, markProblems, readMarks, storedModel } from '../../../restart-agent/index.ts';
import { isDamaged, type Store } from '../../../store/index.ts';
import { openExistingStore } from '../open-existing.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import { printJson, red } from '../output.ts';

export interface StoreStatus {
  store: string;
  system: string | null;
  /** The persistence model the store was made with (null: a store older than the record of it). */
  model: string | null;
  /** The newest checkpoint record, under the checkpoint models. */
  newestCheckpoint: { seq: number; crank: number; objects: number } | null;
  schemaVersion: number;
  bootCount: number;
  idHighWater: number;
  records: Record<string, number>;
  /** The account's count of batches written. */
  commits: number;
  /** What is wrong with the store; empty when it is whole. */
  problems: { record: string; reason: string }[];
}

/** Counts a kind's records by reading each (so damaged ones are named). */
async function countAndCheck(scan: AsyncIterable<unknown>, problems: StoreStatus['problems']): Promise<number> {
  let n = 0;
  for await (const record of scan) {
    n++;
    if (isDamaged(record)) problems.push({ record: record.record, reason: `damaged: ${record.reason}` });
  }
  return n;
}

async function problemsOf(store: Store, problems: StoreStatus['problems'], holdsSystem: boolean): Promise<void> {
  for (const f of await store.checkAccount()) problems.push({ record: f.record, reason: f.reason });
  if (holdsSystem) for (const p of markProblems(await readMarks(store))) problems.push(p);
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('what a store holds, without booting it: system, schema, boots, ID high-water mark, record counts')
    .option('--store <dir>', `store folder (default ${DEFAULT_STORE_DIR}, where npm start leaves its store)`, DEFAULT_STORE_DIR)
    .option('--json', 'print the status as JSON')
    .action(async (opts: { store: string; json?: boolean }) => {
      const path = storeFolder(opts.store);
      const store = await openExistingStore(path, { inspect: true });
      let status: StoreStatus;
      const problems: StoreStatus['problems'] = [];
      try {
        const records = {
          registrations: await countAndCheck(store.registrations.scan(), problems),
          objects: await countAndCheck(store.objects.scan(), problems),
          storage: await countAndCheck(store.storage.scan(), problems),
          directory: await countAndCheck(store.directory.scan(), problems),
          blocks: await countAndCheck(store.blocks.scan(), problems),
          checkpoints: await countAndCheck(store.checkpoints.scan(), problems),
          snapshots: await countAndCheck(store.snapshots.scan(), problems),
          quarantine: await countAndCheck(store.quarantine.scan(), problems),
        };
        await problemsOf(store, problems, records.registrations > 0 || records.checkpoints > 0);
        const newest = await latestCheckpoint(store);
        status = {
          store: path,
          system: await heldSystemName(store),
          model: await storedModel(store),
          newestCheckpoint: newest === null ? null : { seq: newest.seq, crank: newest.manifest.crank, objects: newest.manifest.objects },
          schemaVersion: store.meta.schemaVersion,
          bootCount: store.meta.bootCount,
          idHighWater: store.meta.idHighWater,
          records,
          commits: store.account.seq,
          problems,
        };
      } finally {
        await store.close();
      }
      const failed = new CommandFailed(`${problems.length} problem(s) in ${path}: capsim verify names them all`);
      if (opts.json) {
        printJson(status);
        if (problems.length > 0) throw failed;
        return;
      }
      const lines = [
        `store          ${status.store}`,
        `system         ${status.system ?? '(none named)'}`,
        `model          ${status.model ?? '(not recorded)'}`,
        ...(status.newestCheckpoint === null ? [] : [`checkpoint     ${status.newestCheckpoint.seq} (crank ${status.newestCheckpoint.crank}, ${status.newestCheckpoint.objects} objects)`]),
        `schema         ${status.schemaVersion}`,
        `boots          ${status.bootCount}`,
        `IDs issued     below ${status.idHighWater}`,
        `commits        ${status.commits}`,
        ...Object.entries(status.records).map(([kind, n]) => `${kind.padEnd(14)} ${n}`),
        ...problems.map((p) => `${red('problem')}        ${p.record}: ${p.reason}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      if (problems.length > 0) throw failed;
    });
}
