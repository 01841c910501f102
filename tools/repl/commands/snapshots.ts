/**
 * Named snapshots at the prompt, as ANTS's gridorc has them: `snap save NAME` freezes the
 * current system's state under a name (immutable), `snap scores` lists the names, `snap spawn
 * NAME` boots a new instance from one (in memory, beside the main system), `snap use` switches
 * the commands to an instance, `snap status` lists the instances, `snap boom` frees one, and
 * `snap invite` lets another principal spawn a name. Snapshots are kept in the main system's
 * store; two spawns of one name have the same state hash (I7), which `snap status` shows.
 */
import { MemoryDisk } from '../../../store/index.ts';
import { actingPrincipal, inviteToSnapshot, listSnapshots, saveSnapshot, spawnSnapshot, SnapshotError } from '../../../restart-agent/snapshot/index.ts';
import { cyan } from '../../cli/output.ts';
import { expectArgs } from '../args.ts';
import { ReplError, type CommandGroup, type ReplCommand } from '../command.ts';
import { MAIN_INSTANCE, type Session } from '../session.ts';
import { table } from '../table.ts';

/** The store snapshots live in: the main system's, which must have power. */
function archive(session: Session) {
  if (!session.main.powered) throw new ReplError("the main system's power is off: 'snap use main' and 'restart' first");
  return session.main.system.store;
}

/** Snapshot errors are the user's to fix: one line at the prompt. */
async function guarded<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof SnapshotError) throw new ReplError(error.message);
    throw error;
  }
}

const save: ReplCommand = {
  name: 'save',
  args: '<name>',
  summary: "save the current system's state as an immutable named snapshot (only new blocks are written)",
  details: ['Under the checkpoint models a checkpoint is taken first, so the snapshot holds the state right now.', 'A name, once saved, is never overwritten.'],
  async run(session, args) {
    expectArgs(args, 1, 1, 'snap save <name>');
    const name = args[0] as string;
    session.kernel();
    const system = session.system;
    if (system.checkpointing) await system.checkpoint();
    await system.store.flush({ sync: true });
    const result = await guarded(() => saveSnapshot(archive(session), name, { principal: actingPrincipal(), source: system.store }));
    session.print(`saved '${name}' from ${session.activeInstance}: ${result.info.blocks} block(s), ${result.info.blocksWritten} new, ${result.bytesWritten} bytes written`);
  },
};

const scores: ReplCommand = {
  name: 'scores',
  aliases: ['list'],
  args: '',
  summary: 'the snapshots you may spawn: name, owner, size, blocks shared',
  async run(session, args) {
    expectArgs(args, 0, 0, 'snap scores');
    const listed = await listSnapshots(archive(session), actingPrincipal());
    if (listed.length === 0) {
      session.print("no snapshots yet: 'snap save <name>' makes one");
      return;
    }
    session.print(table(['NAME', 'OWNER', 'BLOCKS', 'SHARED', 'BYTES', 'CHECKPOINT'], listed.map((s) => [s.name, s.owner, String(s.blocks), String(s.shared), String(s.bytes), s.checkpointSeq === null ? '-' : String(s.checkpointSeq)])));
  },
};

const spawn: ReplCommand = {
  name: 'spawn',
  args: '<name> [instance]',
  summary: "boot a new instance from a snapshot (in memory); 'snap use' switches to it",
  async run(session, args) {
    expectArgs(args, 1, 2, 'snap spawn <name> [instance]');
    const name = args[0] as string;
    const instance = args[1] ?? nextInstanceName(session, name);
    if (session.listInstances().some(([n]) => n === instance)) throw new ReplError(`an instance named '${instance}' exists already`);
    const spawned = await guarded(() => spawnSnapshot(archive(session), name, { principal: actingPrincipal(), spec: session.spec, target: { backend: 'memory', disk: new MemoryDisk() }, seed: session.options.seed }));
    session.addInstance(instance, { system: spawned.system, from: name, stateHash: spawned.stateHash, powered: true });
    session.print(cyan(`spawned '${instance}' from '${name}': ${spawned.report.restored.length} process(es), state hash ${spawned.stateHash}; 'snap use ${instance}' to drive it`));
  },
};

const use: ReplCommand = {
  name: 'use',
  args: '<instance>',
  summary: 'make an instance (or main) the system the other commands act on',
  complete: (session) => session.listInstances().map(([n]) => n),
  run(session, args) {
    expectArgs(args, 1, 1, 'snap use <instance>');
    session.use(args[0] as string);
    session.print(`now driving '${session.activeInstance}'`);
  },
};

const status: ReplCommand = {
  name: 'status',
  args: '',
  summary: 'the instances of this session: which is in use, where each came from, its state hash',
  run(session, args) {
    expectArgs(args, 0, 0, 'snap status');
    const rows = session.listInstances().map(([name, i]) => [
      `${name === session.activeInstance ? '*' : ' '} ${name}`,
      i.from ?? '-',
      i.powered ? 'on' : 'off',
      i.powered ? String([...i.system.kernel.processes()].length) : '-',
      i.stateHash ?? '-',
    ]);
    session.print(table(['INSTANCE', 'FROM', 'POWER', 'PROCESSES', 'SPAWNED AS'], rows));
  },
};

const boom: ReplCommand = {
  name: 'boom',
  args: '<instance>',
  summary: 'free a spawned instance',
  complete: (session) => session.listInstances().map(([n]) => n).filter((n) => n !== MAIN_INSTANCE),
  async run(session, args) {
    expectArgs(args, 1, 1, 'snap boom <instance>');
    await session.boom(args[0] as string);
    session.print(`'${args[0] as string}' is gone`);
  },
};

const invite: ReplCommand = {
  name: 'invite',
  args: '<principal> <name>',
  summary: 'let another principal spawn a snapshot of yours',
  async run(session, args) {
    expectArgs(args, 2, 2, 'snap invite <principal> <name>');
    const [who, name] = args as [string, string];
    const info = await guarded(() => inviteToSnapshot(archive(session), name, actingPrincipal(), who));
    session.print(`'${name}' may now be spawned by: ${[info.owner, ...info.invited].join(', ')}`);
  },
};

function nextInstanceName(session: Session, name: string): string {
  const taken = new Set(session.listInstances().map(([n]) => n));
  for (let i = 1; i <= taken.size + 1; i++) if (!taken.has(`${name}-${i}`)) return `${name}-${i}`;
  return `${name}-${taken.size + 2}`;
}

export const snapshotCommands: CommandGroup = {
  name: 'snapshots',
  summary: 'named snapshots and the instances spawned from them (snap save, scores, spawn, use, status, boom, invite)',
  prefix: 'snap',
  commands: [save, scores, spawn, use, status, boom, invite],
};
