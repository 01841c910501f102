/**
 * The REPL's command table. A new group of commands is one module under commands/ and one
 * line here; a group whose names would clash with these (a snapshot group's spawn or status)
 * takes a prefix (see CommandGroup.prefix).
 */
import { authorityCommands } from './commands/authority.ts';
import { inspectCommands } from './commands/inspect.ts';
import { powerCommands } from './commands/power.ts';
import { runningCommands } from './commands/running.ts';
import { sessionCommands } from './commands/session.ts';
import { snapshotCommands } from './commands/snapshots.ts';
import { Registry } from './registry.ts';

export function builtinRegistry(): Registry {
  const registry = new Registry();
  registry.add(sessionCommands(registry));
  registry.add(inspectCommands);
  registry.add(runningCommands);
  registry.add(authorityCommands);
  registry.add(powerCommands);
  registry.add(snapshotCommands);
  return registry;
}
