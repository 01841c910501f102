/**
 * `capsim replicate --from DIR --to DIR [--json]` — venti + ventiprog: bring the second store up
 * to date with the first's named snapshots, copying only the blocks it lacks (each hash checked
 * on arrival). Exit 1 when a snapshot could not be copied: a damaged source block, or a name the
 * target holds with another root (names are immutable, so it is reported, never overwritten).
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { openStore, replicate } from '../../../store/index.ts';
import { openExistingStore } from '../open-existing.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import { dim, printJson, red } from '../output.ts';

export function registerReplicate(program: Command): void {
  program
    .command('replicate')
    .description("copy a store's named snapshots into a second store: only the blocks it lacks, every hash checked")
    .requiredOption('--from <dir>', 'the source store')
    .requiredOption('--to <dir>', 'the target store (created if missing)')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { from: string; to: string; json?: boolean }) => {
      const fromPath = resolve(opts.from);
      const toPath = resolve(opts.to);
      if (fromPath === toPath) throw new UsageError('--from and --to name the same store');
      const from = await openExistingStore(fromPath);
      try {
        const to = await openStore({ backend: 'classic', path: toPath, create: true });
        let report;
        try {
          report = await replicate(from, to);
        } finally {
          await to.close();
        }
        if (opts.json) printJson({ from: fromPath, to: toPath, ...report });
        else {
          const lines = [
            `replicated ${fromPath} -> ${toPath}`,
            `  snapshots copied  ${report.snapshotsCopied.length}${report.snapshotsCopied.length > 0 ? ` (${report.snapshotsCopied.join(', ')})` : ''}`,
            `  blocks copied     ${report.blocksCopied} (${report.bytesCopied} bytes), each hash checked on arrival`,
            `  skipped           ${report.skipped.length} ${dim('(already there, same root)')}`,
            ...report.conflicts.map((c) => `  ${red('conflict')}          '${c.name}': the target holds it with root ${c.targetRoot.slice(0, 12)}, the source with ${c.sourceRoot.slice(0, 12)}; left as it is`),
            ...report.damaged.map((d) => `  ${red('damaged')}           '${d.snapshot}': ${d.record}: not copied`),
          ];
          process.stdout.write(`${lines.join('\n')}\n`);
        }
        const failed = [...report.damaged.map((d) => `'${d.snapshot}' (${d.record} damaged)`), ...report.conflicts.map((c) => `'${c.name}' (conflict)`)];
        if (failed.length > 0) throw new CommandFailed(`${failed.length} snapshot(s) not replicated: ${failed.join(', ')}`);
      } finally {
        await from.close();
      }
    });
}
