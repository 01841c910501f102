/**
 * Group durability: syncing every Nth commit on real LevelDB. Fewer syncs run faster and lose
 * more acknowledged-but-unsynced commits at a power loss.
 */
import type { ExperimentDefinition } from '../tools/experiment/definition.ts';

export const experiment: ExperimentDefinition = {
  name: 'sync-every',
  description: 'syncEvery against throughput and commits lost (counter, classic-level, random power loss).',
  systems: ['counter'],
  grid: { syncEvery: [1, 2, 4, 8, 16, 32, 64], fault: ['rate:0.01'], cranks: [2000], backend: ['classic'] },
  seeds: 3,
  metrics: ['cranksRun', 'powerLosses', 'commitsLost', 'cranksLost', 'violations', 'cranksPerS'],
  plots: [
    { name: 'throughput', title: 'Cranks per second against syncEvery', x: 'syncEvery', y: 'cranksPerS', logX: true },
    { name: 'commits-lost', title: 'Commits lost against syncEvery', x: 'syncEvery', y: 'commitsLost', logX: true },
  ],
};
