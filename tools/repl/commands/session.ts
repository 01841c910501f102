/** The session itself: help, status, quit. */
import { bold, dim } from '../../cli/output.ts';
import { ReplError, type CommandGroup, type ReplCommand } from '../command.ts';
import type { Registry } from '../registry.ts';
import type { Session } from '../session.ts';
import { columns } from '../table.ts';

/** help needs the whole table it describes, so the group is made for a registry. */
export function sessionCommands(registry: Registry): CommandGroup {
  const help: ReplCommand = {
    name: 'help',
    looksOnly: true,
    args: '[command]',
    summary: 'list the commands, or say what one does',
    complete: () => registry.firstWords(),
    run(session, args) {
      if (args.length === 0) return listAll(session, registry);
      const found = registry.find(args);
      if (found === null) throw new ReplError(`no command '${args.join(' ')}': type 'help' for the list`);
      session.print(bold(registry.usage(found)));
      session.print(`  ${found.command.summary}`);
      for (const line of found.command.details ?? []) session.print(`  ${line}`);
      if (found.command.aliases?.length) session.print(dim(`  also: ${found.command.aliases.join(', ')}`));
    },
  };

  const status: ReplCommand = {
    name: 'status',
    looksOnly: true,
    args: '',
    summary: 'the system, seed, store, power, crank clock, unsynced batches and trace hash',
    run(session) {
      const system = session.system;
      session.print(`system    ${session.spec.name}: ${session.spec.description}`);
      session.print(`seed      ${system.seed}`);
      session.print(`store     ${session.storeDescription} (boot #${system.store.meta.bootCount}, sync every ${session.options.syncEvery} commit(s))`);
      if (!session.isPowered) {
        session.print("power     OFF: type 'restart'");
        return;
      }
      const kernel = session.kernel();
      session.print('power     on');
      session.print(`clock     ${system.now} crank(s)`);
      session.print(`processes ${[...kernel.processes()].length}`);
      session.print(`unsynced  ${system.store.faults?.unsyncedBatches ?? 0} batch(es) a crash would lose`);
      session.print(`trace     ${kernel.trace.total} event(s), hash ${kernel.trace.hash}`);
    },
  };

  const quit: ReplCommand = {
    name: 'quit',
    aliases: ['exit'],
    args: '',
    summary: 'leave (the store is closed cleanly: nothing acknowledged is lost)',
    run(session) {
      session.end();
    },
  };

  const clear: ReplCommand = {
    name: 'clear',
    args: '',
    summary: 'clear the screen (at a terminal; in a script it does nothing)',
    run() {
      if (process.stdout.isTTY) process.stdout.write('\u001b[2J\u001b[H');
    },
  };

  return { name: 'session', summary: 'the shell itself', commands: [help, status, clear, quit] };
}

function listAll(session: Session, registry: Registry): void {
  for (const group of registry.all()) {
    session.print(bold(`${group.name}: ${group.summary}`));
    for (const line of columns(group.commands.map((c) => [`  ${registry.usage({ command: c, group })}`, c.summary]))) session.print(line);
  }
  session.print(dim("'help <command>' says more; tab completes commands, pids and slots; '#' starts a comment"));
}
