/**
 * `capsim boot --store DIR` — the restart agent over an existing store: boot it, report each
 * phase, what was restored, quarantined and lost, and the invariants it can check without
 * history. Exit 1 when one is violated. The programs come from `--system` (an example name or
 * a module path), by default from the example the store says it holds; the persistence model
 * is the one the store was created with.
 */
import { DEFAULT_STORE_DIR } from '../locate.ts';
import { parseFlag } from '../flags.ts';
import type { Command } from 'commander';
import { formatReport, violations } from '../../../restart-agent/index.ts';
import { CommandFailed } from '../errors.ts';
import { openStoredSystem } from '../load-system.ts';

import { colorVerdicts, printJson } from '../output.ts';

interface BootOptions {
  store: string;
  system?: string;
  seed?: string;
  json?: boolean;
}

export function registerBoot(program: Command): void {
  program
    .command('boot')
    .alias('restart')
    .description('boot the system a store holds (the restart agent) and report')
    .option('--store <dir>', `store folder (default ${DEFAULT_STORE_DIR}, where npm start leaves its store)`, DEFAULT_STORE_DIR)
    .option('--system <name|path>', 'the example or module whose programs the store runs (default: the example the store names)')
    .option('--seed <n>', 'scheduler seed', '1')
    .option('--json', 'print the report as one JSON object')
    .action(async (opts: BootOptions) => {
      const { system, report } = await openStoredSystem({ store: opts.store, system: opts.system, seed: parseFlag(opts.seed ?? '1', '--seed') });
      await system.close();
      if (opts.json) printJson(report);
      else process.stdout.write(`${colorVerdicts(formatReport(report))}\n`);
      const broken = violations(report.invariants);
      if (broken.length > 0) throw new CommandFailed(`invariant violated: ${broken.join('; ')}`);
    });
}
