/**
 * The capsim command line. Each subcommand lives in commands/; this file wires them into
 * commander and applies the exit-code and error conventions of errors.ts.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { registerBench } from './commands/bench.ts';
import { registerAuthority } from './commands/authority.ts';
import { registerBoot } from './commands/boot.ts';
import { registerCapdl } from './commands/capdl.ts';
import { registerCheck } from './commands/check.ts';
import { registerDemo } from './commands/demo.ts';
import { registerExamples } from './commands/examples.ts';
import { registerExperiment } from './commands/experiment.ts';
import { registerGraph } from './commands/graph.ts';
import { registerPs } from './commands/ps.ts';
import { registerReplicate } from './commands/replicate.ts';
import { registerRepl } from './commands/repl.ts';
import { registerRun } from './commands/run.ts';
import { registerCompare } from './commands/compare.ts';
import { registerSnapshot } from './commands/snapshot.ts';
import { registerStatus } from './commands/status.ts';
import { registerTrace } from './commands/trace.ts';
import { registerVerify } from './commands/verify.ts';
import { registerView } from './commands/view.ts';
import { registerRepair } from './commands/repair.ts';
import { describeFailure, EXIT_USAGE } from './errors.ts';
import { red } from './output.ts';
import { projectPath } from '../runtime/project-root.ts';

const { version } = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string };

// A reader that has seen enough (`capsim trace flood | head -1`) closes the pipe: that ends
// the command, quietly and successfully, as it would end `cat`.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const program = new Command()
  .name('capsim')
  .description('A deterministic simulator of a persistent capability microkernel: run systems, pull the power, restart, check.')
  .version(version)
  .option('--debug', 'show stack traces for errors')
  // commander's own errors (an unknown option, a missing argument) speak as capsim does: one line.
  .configureOutput({ outputError: (text, write) => write(`${red('capsim:')} ${text.trim().replace(/^error: /, '')} (see --help)\n`) })
  .exitOverride();

registerDemo(program);
registerBoot(program);
registerVerify(program);
registerRepair(program);
registerExamples(program);
registerRun(program);
registerCompare(program);
registerExperiment(program);
registerPs(program);
registerTrace(program);
registerGraph(program);
registerCapdl(program);
registerAuthority(program);
registerStatus(program);
registerBench(program);
registerCheck(program);
registerSnapshot(program);
registerReplicate(program);
registerRepl(program);
registerView(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // commander has printed its message (or the help/version text) already.
    process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    const { line, exitCode, internal } = describeFailure(err);
    process.stderr.write(`${red('capsim:')} ${line}\n`);
    if (internal || program.opts<{ debug?: boolean }>().debug) process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = exitCode;
  }
}
