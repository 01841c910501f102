/** Pulling the power and booting again: the heart of what capsim teaches. */
import { formatReport } from '../../../restart-agent/index.ts';
import { colorVerdicts, cyan, dim } from '../../cli/output.ts';
import { countArg, expectArgs } from '../args.ts';
import type { CommandGroup, ReplCommand } from '../command.ts';

/** More kept batches than any buffer holds is no mistake worth refusing; this only bounds the number. */
const KEEP_MAX = 1_000_000;

const crash: ReplCommand = {
  name: 'crash',
  args: '[keep-batches]',
  summary: 'pull the power: the kernel is gone, unsynced batches dropped (or the first k kept)',
  details: ['Only what the store synced survives, plus keep-batches whole unsynced batches, as a real log would keep.', "Then 'restart' boots the store and checks the invariants."],
  async run(session, args) {
    expectArgs(args, 0, 1, 'crash [keep-batches]');
    const keep = countArg(args[0], 'keep-batches', 0, KEEP_MAX);
    const loss = await session.powerLoss(keep);
    session.print(cyan(`power pulled at crank ${loss.cranks}: ${loss.unsyncedBatches} unsynced batch(es) in the volatile buffer, ${Math.min(keep, loss.unsyncedBatches)} kept`));
  },
};

const restart: ReplCommand = {
  name: 'restart',
  args: '',
  summary: 'boot the store after a crash: the six boot phases, what came back, the invariant verdicts',
  async run(session, args) {
    expectArgs(args, 0, 0, 'restart');
    const report = await session.restart();
    session.print(colorVerdicts(formatReport(report)));
    // A boot makes a new kernel: the trace's crank numbers start again, the system's clock does not.
    session.print(dim(`the trace's crank numbers now count this boot's kernel (at ${session.kernel().crankCount}); the system's clock across boots is ${session.system.now}`));
  },
};

const checkpoint: ReplCommand = {
  name: 'checkpoint',
  args: '[interrupt-after-batches]',
  summary: 'take a checkpoint of the whole kernel now (checkpoint and both models); or cut it short with a power loss',
  details: [
    'Writes only the objects that changed since the last checkpoint, as content-addressed blocks, then the manifest.',
    'With a number, only that many store batches are written and the power is pulled: the previous checkpoint stays the newest complete one.',
  ],
  async run(session, args) {
    expectArgs(args, 0, 1, 'checkpoint [interrupt-after-batches]');
    const interrupt = args[0] === undefined ? undefined : countArg(args[0], 'interrupt-after-batches', 0, KEEP_MAX);
    const out = await session.checkpoint(interrupt);
    if (!out.complete) {
      session.print(cyan(`checkpoint ${out.seq} cut short after ${out.batches} batch(es): the power is off; 'restart' resumes at the previous checkpoint`));
      return;
    }
    const freed = out.collection === null || out.collection.dropped.length === 0 ? '' : `; dropped checkpoint(s) ${out.collection.dropped.join(', ')}, ${out.collection.blocksFreed} block(s) freed`;
    session.print(`checkpoint ${out.seq} at crank ${out.crank}: ${out.encoded} of ${out.objects} object(s) changed, ${out.blocksWritten} block(s) and ${out.bytesWritten} bytes written${freed}`);
  },
};

export const powerCommands: CommandGroup = { name: 'power', summary: 'power loss, checkpoints and restart', commands: [crash, checkpoint, restart] };
