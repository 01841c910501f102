/** `capsim examples` — the built-in example systems, by name, with what each shows. */
import type { Command } from 'commander';
import { EXAMPLES } from '../../../examples/index.ts';
import { bold, printJson } from '../output.ts';

export function registerExamples(program: Command): void {
  program
    .command('examples')
    .description('list the built-in example systems (name and description)')
    .option('--json', 'print the list as JSON')
    .action((opts: { json?: boolean }) => {
      const list = Object.entries(EXAMPLES).map(([name, spec]) => ({ name, description: spec.description, processes: spec.processes.length }));
      if (opts.json) return printJson(list);
      const width = Math.max(...list.map((e) => e.name.length));
      for (const e of list) process.stdout.write(`${bold(e.name.padEnd(width))}  ${e.description}\n`);
    });
}
