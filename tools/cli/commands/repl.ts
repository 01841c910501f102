/**
 * `capsim repl [system]` — the teaching shell (tools/repl/): a system on a store with a fault
 * layer, and commands to step it, send to it, change who holds what, pull the power and
 * restart, and look at processes, c-lists, the graph and the trace after each step. Reading a
 * pipe it runs a script; then exit 1 if any line failed.
 */
import { FLAG_RANGES, parseFlag } from '../flags.ts';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { SystemSpec } from '../../../kernel/index.ts';
import { formatReport, PERSISTENCE_MODELS, System, type StoreLocation } from '../../../restart-agent/index.ts';
import { MemoryDisk } from '../../../store/index.ts';
import { builtinRegistry } from '../../repl/builtin.ts';
import { Session } from '../../repl/session.ts';
import { runShell } from '../../repl/shell.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import { loadSystem, storedSystemName } from '../load-system.ts';
import { storeLocation } from '../locate.ts';
import { bold, colorVerdicts, dim } from '../output.ts';
import { parseModel } from './run.ts';

const DEFAULT_SYSTEM = 'ping-pong';

interface ReplOptions {
  store?: string;
  seed: string;
  syncEvery: string;
  runMax: string;
  model: string;
  checkpointEvery: string;
}

export function registerRepl(program: Command): void {
  program
    .command('repl')
    .description('an interactive shell for teaching: step, send, grant, revoke, crash and restart a system, and look after each step')
    .argument('[system]', `an example name or a module path (default: ${DEFAULT_SYSTEM}, or with --store the system the store holds)`)
    .option('--store <dir>', 'a store folder: booted when it holds a system, else the system is created there (default: in memory)')
    .option('--seed <n>', 'seed for every choice', '1')
    .option('--sync-every <n>', 'sync every Nth commit', '4')
    .option('--run-max <n>', 'the most cranks one run command may ask for', '10000')
    .option('--model <model>', `persistence model of a new system: ${PERSISTENCE_MODELS.join(', ')}`, 'explicit')
    .option('--checkpoint-every <n>', "cranks between automatic checkpoints (0: only the 'checkpoint' command)", '0')
    .action(async (ref: string | undefined, opts: ReplOptions, cmd: Command) => {
      const seed = parseFlag(opts.seed, '--seed');
      const syncEvery = parseFlag(opts.syncEvery, '--sync-every');
      if (syncEvery < 1) throw new UsageError('--sync-every must be at least 1');
      const runMax = parseFlag(opts.runMax, '--run-max');
      const model = parseModel(opts.model);
      const checkpointEvery = parseFlag(opts.checkpointEvery, '--checkpoint-every', [0, FLAG_RANGES['--checkpoint-every'][1]]);
      const debug = cmd.optsWithGlobals<{ debug?: boolean }>().debug === true;

      const location: StoreLocation = opts.store === undefined ? { backend: 'memory', disk: new MemoryDisk() } : storeLocation(opts.store);
      const open = opts.store !== undefined && (await System.exists(location));
      const spec = open ? await storedSpec(opts.store as string, ref) : await loadSystem(ref ?? DEFAULT_SYSTEM);
      const write = (text: string): void => void process.stdout.write(text);
      const { session, report } = await Session.start({ spec, location, seed, syncEvery, model, checkpointEvery, runMax, debug, write }, open);
      try {
        session.print(bold(`capsim repl — system '${spec.name}': ${spec.description}`));
        session.print(dim(`model ${session.system.model}, seed ${seed}, store ${session.storeDescription}${open ? ' (booted)' : ''}; type 'help' for the commands, 'quit' to leave`));
        if (report !== null) session.print(colorVerdicts(formatReport(report)));
        const interactive = process.stdin.isTTY === true;
        const { failed } = await runShell(session, builtinRegistry(), { input: process.stdin, output: process.stdout, interactive });
        if (!interactive && failed > 0) throw new CommandFailed(`${failed} line(s) of the script failed`);
      } finally {
        await session.close();
      }
    });
}

/** The programs to boot a store with: the system named, or the example the store says it holds. */
async function storedSpec(dir: string, ref: string | undefined): Promise<SystemSpec> {
  if (ref !== undefined) return loadSystem(ref);
  const held = await storedSystemName(resolve(dir));
  if (held === null) throw new UsageError(`${dir} holds no capsim system description: start fresh in another folder`);
  try {
    return await loadSystem(held);
  } catch {
    throw new UsageError(`${dir} holds system '${held}', which is no built-in example: name its module, capsim repl <path> --store ${dir}`);
  }
}
