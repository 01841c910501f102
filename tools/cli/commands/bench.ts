/**
 * `capsim bench [--json] [--only PREFIX] [--runs N]` — the benchmark harness (bench/main.ts),
 * each benchmark beside its baseline in the same process. The same as `npm run bench`.
 */
import type { Command } from 'commander';
import { main } from '../../../bench/main.ts';
import { projectPath } from '../../runtime/project-root.ts';

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('run the benchmarks, each beside its baseline (table, or --json)')
    .allowUnknownOption()
    .helpOption(false)
    .argument('[args...]', 'passed to the harness: --json, --only PREFIX, --runs N, --help')
    .action(async (args: string[]) => {
      const realStdout = process.stdout.write.bind(process.stdout);
      // stdout is the report's alone: anything a benchmark prints goes to stderr, so --json stays parseable.
      process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
      try {
        const code = await main(args, projectPath('bench'), {
          stdout: (text) => void realStdout(text),
          stderr: (text) => void process.stderr.write(text),
          progress: process.stderr.isTTY === true,
        });
        // The harness has already said what went wrong, in one line; only its exit code remains.
        process.exitCode = code;
      } finally {
        process.stdout.write = realStdout as typeof process.stdout.write;
      }
    });
}
