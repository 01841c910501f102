/**
 * The child of the System-level crash test: boots the counter example on a classic-level folder
 * (created on first use) for a real run (no fault layer: every commit reaches LevelDB as it is
 * made), syncing every SYNC_EVERY-th commit, and runs cranks until killed, printing
 * "ack <count>" once each crank's commit is acknowledged — durable if synced, in the OS's
 * cache otherwise, which a process kill does not take.
 *
 * usage: node --import tsx test/tools/support/system-crash-child.ts DIR SEED [SYNC_EVERY]
 */
import { EXAMPLES } from '../../../examples/index.ts';
import { System } from '../../../restart-agent/index.ts';

const [dir, seedText, syncText] = process.argv.slice(2);
if (dir === undefined) {
  process.stderr.write('usage: system-crash-child.ts DIR SEED [SYNC_EVERY]\n');
  process.exit(2);
}
const spec = EXAMPLES['counter'];
if (spec === undefined) throw new Error('no counter example');
const store = { backend: 'classic' as const, path: dir, simulatedPowerLoss: false };
const options = { spec, store, seed: Number(seedText ?? 1), syncEvery: Number(syncText ?? 1) };
const system = (await System.exists(store)) ? (await System.open(options)).system : await System.create(options);
const count = (): number => {
  for (const p of system.kernel.processes()) if (p.program === 'counter') return (p.state as { count: number }).count;
  return -1;
};
process.stdout.write(`start ${count()}\n`);
// Bounded: the parent kills long before; stdout to a pipe is synchronous, so an ack is out before the next crank.
for (let i = 0; i < 1_000_000 && (await system.step()) !== null; i++) process.stdout.write(`ack ${count()}\n`);
await system.close();
