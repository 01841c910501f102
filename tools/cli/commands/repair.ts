/**
 * `capsim repair --store DIR [--system NAME] [--json]` — makes a damaged store consistent again
 * (restart-agent/repair.ts): sets aside damaged values and checkpoints that need missing blocks,
 * frees orphan blocks, writes a missing model mark again, accepts losses it cannot undo, sums
 * the account afresh. Every action is printed; exit 1 if anything is left unresolved.
 */
import { DEFAULT_STORE_DIR, storeFolder } from '../locate.ts';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { repairStore } from '../../../restart-agent/index.ts';
import { openExistingStore } from '../open-existing.ts';
import { CommandFailed } from '../errors.ts';
import { green, printJson, red, yellow } from '../output.ts';
import { PROBLEM_LABELS } from './verify.ts';

export function registerRepair(program: Command): void {
  program
    .command('repair')
    .description('make a damaged store consistent again: set aside what is damaged, accept what is lost, say exactly what was given up')
    .option('--store <dir>', `store folder (default ${DEFAULT_STORE_DIR}, where npm start leaves its store)`, DEFAULT_STORE_DIR)
    .option('--system <name>', 'the system the store holds, to write its label again if it is missing')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { store: string; system?: string; json?: boolean }) => {
      const store = await openExistingStore(storeFolder(opts.store), { repair: true });
      let report;
      try {
        report = await repairStore(store, { system: opts.system });
      } finally {
        await store.close();
      }
      if (opts.json) printJson(report);
      else {
        const lines = report.actions.map((a) => `${yellow(a.action.padEnd(9))}  ${a.record}: ${a.reason}`);
        for (const p of report.unresolved) lines.push(`${red('unresolved')} ${PROBLEM_LABELS[p.kind]}  ${p.record}: ${p.reason}`);
        if (report.found.length === 0) lines.push(`${green('ok')}: nothing to repair`);
        else if (report.unresolved.length === 0) lines.push(`${green('repaired')}: ${report.found.length} problem(s) found, ${report.actions.length} action(s); the store verifies whole at commit ${report.commits}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (report.unresolved.length > 0) throw new CommandFailed(`${report.unresolved.length} problem(s) left unresolved in ${opts.store}`);
    });
}
