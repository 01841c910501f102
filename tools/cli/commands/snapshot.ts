/**
 * `capsim snapshot save|list|spawn|save-as|status|boom|invite` — named snapshots as Plan 9
 * ANTS has them. The archive is a store (`--store`, default .capsim/default): `save` snapshots
 * its own state into it, and every snapshot name lives there. Spawned instances live in the grid
 * (`--grid`, default the store's folder with `.grid` added): one store folder per instance plus
 * instances.json. Who acts is `--principal`, else CAPSIM_PRINCIPAL, else the OS user.
 */
import { parseFlag } from '../flags.ts';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import {
  actingPrincipal,
  Grid,
  inviteToSnapshot,
  listSnapshots,
  saveSnapshot,
  SnapshotError,
  type InstanceEntry,
  type SnapshotListing,
} from '../../../restart-agent/snapshot/index.ts';
import { openStore, type Store } from '../../../store/index.ts';
import { EXAMPLES } from '../../../examples/index.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import { loadSystem } from '../load-system.ts';
import { DEFAULT_STORE_DIR } from '../locate.ts';
import { bold, dim, printJson } from '../output.ts';

interface Common {
  store?: string;
  grid?: string;
  principal?: string;
  json?: boolean;
}

function archivePath(opts: Common): string {
  return resolve(opts.store ?? DEFAULT_STORE_DIR);
}

function gridOf(opts: Common): Grid {
  return new Grid(opts.grid !== undefined ? resolve(opts.grid) : `${archivePath(opts)}.grid`);
}

/** Runs `use` on the archive store and closes it; a refusal becomes one line (a bad name: a usage error). */
async function withArchive<T>(opts: Common, create: boolean, use: (archive: Store, principal: string) => Promise<T>): Promise<T> {
  try {
    const principal = actingPrincipal(opts.principal);
    const archive = await openStore({ backend: 'classic', path: archivePath(opts), create });
    try {
      return await use(archive, principal);
    } finally {
      await archive.close();
    }
  } catch (error) {
    throw asCliError(error);
  }
}

function asCliError(error: unknown): unknown {
  if (!(error instanceof SnapshotError)) return error;
  return error.code === 'bad_name' ? new UsageError(error.message) : new CommandFailed(error.message);
}

function common(cmd: Command, withGrid = false): Command {
  cmd.option('--store <dir>', `the archive store that holds the snapshots (default ${DEFAULT_STORE_DIR})`);
  if (withGrid) cmd.option('--grid <dir>', 'the grid folder of spawned instances (default: the store folder + .grid)');
  return cmd.option('--principal <name>', 'who is acting (default: CAPSIM_PRINCIPAL, else the OS user)').option('--json', 'print the result as JSON');
}

function when(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [bold(line(header)), ...rows.map(line)].join('\n');
}

function scoresTable(rows: SnapshotListing[]): string {
  return table(
    ['NAME', 'OWNER', 'CREATED', 'SIZE', 'BLOCKS', 'SHARED', 'INVITED'],
    rows.map((s) => [s.name, s.owner, when(s.created), size(s.bytes), String(s.blocks), String(s.shared), s.invited.join(',') || '-']),
  );
}

function instancesTable(rows: InstanceEntry[]): string {
  return table(
    ['INSTANCE', 'SNAPSHOT', 'OWNER', 'STATE HASH', 'CREATED'],
    rows.map((i) => [i.name, i.snapshot, i.owner, i.stateHash, when(i.created)]),
  );
}

export function registerSnapshot(program: Command): void {
  const snapshot = program.command('snapshot').description('named snapshots (Plan 9 ANTS style): save, list, spawn, save-as, status, boom, invite');

  common(snapshot.command('save').description("save the store's current state as an immutable named snapshot (only new blocks are written)").argument('<name>', 'a new name: an existing one is never overwritten')).action(
    async (name: string, opts: Common) => {
      const saved = await withArchive(opts, false, (archive, principal) => saveSnapshot(archive, name, { principal }));
      if (opts.json) return printJson({ name, ...saved.info, bytesWritten: saved.bytesWritten });
      const i = saved.info;
      process.stdout.write(`saved snapshot '${name}' (owner ${i.owner}): ${i.records} records, ${i.blocks} blocks, ${size(i.bytes)}; wrote ${i.blocksWritten} new block(s), ${size(saved.bytesWritten)}; ${i.blocks - i.blocksWritten} shared\n`);
      process.stdout.write(`${dim(`root block ${i.root} (the content hash of the whole snapshot)`)}\n`);
    },
  );

  common(snapshot.command('list').description('the scores: snapshots you own or are invited to (name, owner, created, size, blocks, shared)')).action(async (opts: Common) => {
    const rows = await withArchive(opts, false, (archive, principal) => listSnapshots(archive, principal));
    if (opts.json) return printJson(rows);
    process.stdout.write(rows.length === 0 ? `${dim('no snapshots you own or are invited to')}\n` : `${scoresTable(rows)}\n`);
  });

  common(
    snapshot
      .command('spawn')
      .description('boot a new instance from a snapshot, in a store of its own in the grid')
      .argument('<name>', 'the snapshot')
      .option('--as <instance>', 'the instance name (default: <name>-<n>, the first free n)')
      .option('--system <name|path>', "the programs to boot with (default: the example the snapshot's store names)")
      .option('--seed <n>', 'scheduler seed of the instance', '1'),
    true,
  ).action(async (name: string, opts: Common & { as?: string; system?: string; seed: string }) => {
    const seed = parseFlag(opts.seed, '--seed');
    const spawned = await withArchive(opts, false, (archive, principal) =>
      gridOf(opts).spawn(archive, archivePath(opts), name, { principal, seed, as: opts.as, spec: (held) => specFor(opts.system, held, name) }),
    );
    const { instance, report } = spawned;
    if (opts.json) return printJson({ instance, path: gridOf(opts).instancePath(instance.name), restored: report.restored.length, quarantined: report.quarantined.length });
    process.stdout.write(`spawned '${instance.name}' from snapshot '${name}': ${report.restored.length} process(es) restored, state hash ${instance.stateHash}\n`);
    process.stdout.write(`${dim(`store ${gridOf(opts).instancePath(instance.name)}`)}\n`);
  });

  common(
    snapshot.command('save-as').description("snapshot a spawned instance's current state under a new name").argument('<instance>', 'an instance in the grid').argument('<newname>', 'a new snapshot name'),
    true,
  ).action(async (instance: string, newName: string, opts: Common) => {
    const saved = await withArchive(opts, true, (archive, principal) => gridOf(opts).saveAs(archive, instance, newName, { principal }));
    if (opts.json) return printJson({ name: newName, instance, ...saved.info, bytesWritten: saved.bytesWritten });
    process.stdout.write(`saved instance '${instance}' as snapshot '${newName}': ${saved.info.blocks} blocks, wrote ${saved.info.blocksWritten} new\n`);
  });

  snapshot
    .command('status')
    .description('the spawned instances of the grid: name, snapshot, owner, state hash, created')
    .option('--store <dir>', `the archive store, whose grid is its folder + .grid (default ${DEFAULT_STORE_DIR})`)
    .option('--grid <dir>', 'the grid folder')
    .option('--json', 'print the instances as JSON')
    .action(async (opts: Common) => {
      let rows: InstanceEntry[];
      try {
        rows = gridOf(opts).instances();
      } catch (error) {
        throw asCliError(error);
      }
      if (opts.json) return printJson(rows);
      process.stdout.write(rows.length === 0 ? `${dim(`no instances in ${gridOf(opts).dir}`)}\n` : `${instancesTable(rows)}\n`);
    });

  snapshot
    .command('boom')
    .description('free a spawned instance: delete its store folder and its registry entry')
    .argument('<instance>', 'an instance in the grid')
    .option('--store <dir>', `the archive store, whose grid is its folder + .grid (default ${DEFAULT_STORE_DIR})`)
    .option('--grid <dir>', 'the grid folder')
    .option('--principal <name>', 'who is acting (default: CAPSIM_PRINCIPAL, else the OS user)')
    .option('--json', 'print the freed instance as JSON')
    .action(async (instance: string, opts: Common) => {
      let freed: InstanceEntry;
      try {
        freed = await gridOf(opts).boom(instance, actingPrincipal(opts.principal));
      } catch (error) {
        throw asCliError(error);
      }
      if (opts.json) return printJson(freed);
      process.stdout.write(`boomed '${freed.name}' (spawned from '${freed.snapshot}')\n`);
    });

  common(snapshot.command('invite').description('let another principal list and spawn a snapshot you own').argument('<principal>', 'who may spawn it').argument('<name>', 'the snapshot')).action(
    async (invitee: string, name: string, opts: Common) => {
      const info = await withArchive(opts, false, (archive, principal) => inviteToSnapshot(archive, name, principal, invitee));
      if (opts.json) return printJson({ name, owner: info.owner, invited: info.invited });
      process.stdout.write(`'${invitee}' may now spawn snapshot '${name}' (invited: ${info.invited.join(', ')})\n`);
    },
  );
}

/** The programs for a spawn: --system, else the example named by the snapshot's store. */
async function specFor(given: string | undefined, held: string | null, snapshot: string) {
  if (given !== undefined) return loadSystem(given);
  if (held === null || !Object.prototype.hasOwnProperty.call(EXAMPLES, held)) {
    throw new UsageError(`snapshot '${snapshot}' holds system '${held ?? '?'}', which is no built-in example: name its module with --system <path>`);
  }
  return loadSystem(held);
}
