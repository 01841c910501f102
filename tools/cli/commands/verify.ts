/**
 * `capsim verify --store DIR` — reads every record, checks every checksum, and lists each
 * damaged record by name. Exit 1 when any is damaged.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { openStore, verifyStore } from '../../../store/index.ts';
import { CommandFailed } from '../errors.ts';
import { green, printJson, red } from '../output.ts';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('check every record of a store against its checksum and list what is damaged')
    .requiredOption('--store <dir>', 'store folder')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { store: string; json?: boolean }) => {
      const store = await openStore({ backend: 'classic', path: resolve(opts.store), create: false });
      try {
        const result = await verifyStore(store);
        if (opts.json) printJson(result);
        else if (result.damaged.length === 0) process.stdout.write(`${green('ok')}: ${result.records} records, none damaged\n`);
        else {
          for (const d of result.damaged) process.stdout.write(`${red('damaged')} ${d.record}: ${d.reason}\n`);
          process.stdout.write(`${result.damaged.length} of ${result.records} records damaged\n`);
        }
        if (result.damaged.length > 0) throw new CommandFailed(`${result.damaged.length} damaged record(s) in ${opts.store}`);
      } finally {
        await store.close();
      }
    });
}
