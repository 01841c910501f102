/**
 * `capsim boot --store DIR` — the restart agent over an existing store: boot it, report each
 * phase, what was restored, quarantined and lost, and the invariants it can check without
 * history. Exit 1 when one is violated.
 */
import type { Command } from 'commander';
import { formatReport, System, violations } from '../../../restart-agent/index.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import { exampleNamed, parseCount, storeLocation } from '../locate.ts';
import { colorVerdicts, printJson } from '../output.ts';

interface BootOptions {
  store?: string;
  system: string;
  seed?: string;
  json?: boolean;
}

export function registerBoot(program: Command): void {
  program
    .command('boot')
    .alias('restart')
    .description('boot the system a store holds (the restart agent) and report')
    .requiredOption('--store <dir>', 'store folder')
    .option('--system <name>', 'the example whose programs the store runs', 'counter')
    .option('--seed <n>', 'scheduler seed', '1')
    .option('--json', 'print the report as one JSON object')
    .action(async (opts: BootOptions) => {
      const location = storeLocation(opts.store);
      if (!(await System.exists(location))) throw new UsageError(`no capsim system in ${opts.store}: run 'capsim demo --store ${opts.store}' to make one`);
      const { system, report } = await System.open({ spec: exampleNamed(opts.system), store: location, seed: parseCount(opts.seed ?? '1', '--seed') });
      await system.close();
      if (opts.json) printJson(report);
      else process.stdout.write(`${colorVerdicts(formatReport(report))}\n`);
      const broken = violations(report.invariants);
      if (broken.length > 0) throw new CommandFailed(`invariant violated: ${broken.join('; ')}`);
    });
}
