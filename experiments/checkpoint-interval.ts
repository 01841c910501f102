/**
 * The EROS trade-off: how often to checkpoint. A shorter interval loses less work at a power
 * loss and writes more while running. Ten processes (five counter pairs) under the checkpoint
 * model, the power pulled at random (on average every 200 cranks), intervals from 5 to 500.
 */
import type { ExperimentDefinition } from '../tools/experiment/definition.ts';
import { counterPairs } from './systems/counter-pairs.ts';

export const experiment: ExperimentDefinition = {
  name: 'checkpoint-interval',
  description: 'Checkpoint interval against work lost and against what checkpoints cost (the EROS trade-off).',
  systems: [{ name: 'counter-pairs', build: (p) => counterPairs(p.pairs as number), params: ['pairs'] }],
  grid: { pairs: [5], model: ['checkpoint'], checkpointEvery: [5, 10, 20, 50, 100, 200, 500], fault: ['rate:0.005'], cranks: [3000] },
  seeds: 5,
  metrics: ['cranksRun', 'powerLosses', 'cranksLost', 'checkpoints', 'checkpointBytes', 'checkpointMs', 'runMs'],
  plots: [
    { name: 'work-lost', title: 'Work lost against checkpoint interval', x: 'checkpointEvery', y: 'cranksLost', logX: true },
    { name: 'overhead', title: 'Bytes written by checkpoints against checkpoint interval', x: 'checkpointEvery', y: 'checkpointBytes', logX: true, logY: true },
  ],
};
