/**
 * Restart time against the number of processes, on real LevelDB: counter pairs from 10 to
 * 10,000 processes, one power loss, under the explicit and the checkpoint model. Log-log: a
 * slope of one is a restart linear in the system's size.
 */
import type { ExperimentDefinition } from '../tools/experiment/definition.ts';
import { counterPairs } from './systems/counter-pairs.ts';

export const experiment: ExperimentDefinition = {
  name: 'restart-scaling',
  description: 'Restart time against the number of processes (classic-level), explicit and checkpoint models.',
  systems: [{ name: 'counter-pairs', build: (p) => counterPairs(p.pairs as number), params: ['pairs'] }],
  grid: { pairs: [5, 50, 500, 5000], model: ['explicit', 'checkpoint'], fault: ['at:100'], cranks: [150], backend: ['classic'] },
  seeds: 3,
  metrics: ['cranksRun', 'cranksLost', 'violations', 'restartMs', 'storeBytes'],
  plots: [{ name: 'restart-time', title: 'Restart time against processes (2 per pair)', x: 'pairs', y: 'restartMs', color: 'model', logX: true, logY: true }],
};
