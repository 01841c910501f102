/**
 * The child of the System-level crash test: boots the counter example on a classic-level folder
 * (created on first use), syncing every commit, and runs cranks until killed, printing
 * "ack <count>" once each crank's commit is durable.
 *
 * usage: node --import tsx test/tools/support/system-crash-child.ts DIR SEED
 */
import { EXAMPLES } from '../../../examples/index.ts';
import { System } from '../../../restart-agent/index.ts';

const [dir, seedText] = process.argv.slice(2);
if (dir === undefined) {
  process.stderr.write('usage: system-crash-child.ts DIR SEED\n');
  process.exit(2);
}
const spec = EXAMPLES['counter'];
if (spec === undefined) throw new Error('no counter example');
const store = { backend: 'classic' as const, path: dir };
const options = { spec, store, seed: Number(seedText ?? 1), syncEvery: 1 };
const system = (await System.exists(store)) ? (await System.open(options)).system : await System.create(options);
const count = (): number => {
  for (const p of system.kernel.processes()) if (p.program === 'counter') return (p.state as { count: number }).count;
  return -1;
};
process.stdout.write(`start ${count()}\n`);
// Bounded: the parent kills long before; stdout to a pipe is synchronous, so an ack is out before the next crank.
for (let i = 0; i < 1_000_000 && (await system.step()) !== null; i++) process.stdout.write(`ack ${count()}\n`);
await system.close();
