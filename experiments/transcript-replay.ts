/**
 * The transcript model's side of the EROS trade-off: the longer between checkpoints, the longer
 * the transcript a restart replays. Ten processes (five counter pairs) under the transcript
 * model, every entry synced, the power pulled at random (on average every 200 cranks), intervals
 * from 5 to 500: the cranks replayed and the time replay took grow with the interval, while no
 * synced work is lost at any interval.
 */
import type { ExperimentDefinition } from '../tools/experiment/definition.ts';
import { counterPairs } from './systems/counter-pairs.ts';

export const experiment: ExperimentDefinition = {
  name: 'transcript-replay',
  description: 'Transcript replay at restart against checkpoint interval: cranks replayed, replay time, and work lost.',
  systems: [{ name: 'counter-pairs', build: (p) => counterPairs(p.pairs as number), params: ['pairs'] }],
  grid: { pairs: [5], model: ['transcript'], syncEvery: [1], checkpointEvery: [5, 10, 20, 50, 100, 200, 500], fault: ['rate:0.005'], cranks: [3000] },
  seeds: 5,
  metrics: ['cranksRun', 'powerLosses', 'cranksLost', 'replayedCranks', 'replayMs', 'restartMs', 'checkpointBytes'],
  plots: [
    { name: 'replay-time', title: 'Transcript replay time at restart against checkpoint interval', x: 'checkpointEvery', y: 'replayMs', logX: true },
    { name: 'replayed-cranks', title: 'Cranks replayed per run against checkpoint interval', x: 'checkpointEvery', y: 'replayedCranks', logX: true, logY: true },
  ],
};
