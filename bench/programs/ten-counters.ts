/**
 * The crash explorer benchmark's system as a module: five counter pairs (ten processes) and
 * five clients outside the machine calling the counters. The benchmark runs it unconfined
 * (imported) and confined (loaded as the CLI loads a module).
 */
import type { SystemSpec } from '../../kernel/index.ts';
import { counterPairs } from '../../experiments/systems/counter-pairs.ts';

const PAIRS = 5;
const copies = Array.from({ length: PAIRS }, (_, i) => i);
const label = (i: number, name: string): string => `${name}-${i}`;

export const system: SystemSpec = {
  ...counterPairs(PAIRS),
  name: 'ten-counters',
  description: 'five counter pairs: ten processes, and five clients calling the counters',
  clients: copies.map((i) => ({ name: `visitor-${i}`, cap: { target: label(i, 'requests') }, ops: (n: number) => (n < 100_000 ? { op: 'increment' } : null) })),
  // A visitor was told the count after its increment: a restarted counter counts at least that.
  reflects: (op, restored) => {
    const client = Number(op.client.slice('visitor-'.length));
    const now = restored.processes[label(client, 'counter')] as { count: number } | undefined;
    return now === undefined || now.count >= (op.result as number);
  },
};
