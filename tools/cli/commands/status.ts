/**
 * `capsim status --store DIR [--json]` — what a store holds, read without booting it: the
 * system it names, its persistence model and newest checkpoint, the schema version, boots so far, the ID high-water mark and how many
 * records of each kind. Opening reads meta only; nothing is written.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { heldSystemName, latestCheckpoint, storedModel } from '../../../restart-agent/index.ts';
import { openStore } from '../../../store/index.ts';
import { UsageError } from '../errors.ts';
import { printJson } from '../output.ts';

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
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('what a store holds, without booting it: system, schema, boots, ID high-water mark, record counts')
    .requiredOption('--store <dir>', 'store folder')
    .option('--json', 'print the status as JSON')
    .action(async (opts: { store: string; json?: boolean }) => {
      if (opts.store.trim() === '') throw new UsageError('--store needs a folder');
      const path = resolve(opts.store);
      const store = await openStore({ backend: 'classic', path, create: false });
      let status: StoreStatus;
      try {
        const newest = await latestCheckpoint(store);
        status = {
          store: path,
          system: await heldSystemName(store),
          model: await storedModel(store),
          newestCheckpoint: newest === null ? null : { seq: newest.seq, crank: newest.manifest.crank, objects: newest.manifest.objects },
          schemaVersion: store.meta.schemaVersion,
          bootCount: store.meta.bootCount,
          idHighWater: store.meta.idHighWater,
          records: {
            registrations: await store.registrations.count(),
            objects: await store.objects.count(),
            storage: await store.storage.count(),
            directory: await store.directory.count(),
            blocks: await store.blocks.count(),
            checkpoints: await store.checkpoints.count(),
            snapshots: await store.snapshots.count(),
          },
        };
      } finally {
        await store.close();
      }
      if (opts.json) {
        printJson(status);
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
        ...Object.entries(status.records).map(([kind, n]) => `${kind.padEnd(14)} ${n}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
