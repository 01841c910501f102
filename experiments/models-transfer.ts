/**
 * Shapiro's write-order problem under random power loss: transfer-naive (two separate saves)
 * and transfer (a commit protocol) under each persistence model. `moneyLost` is what the two
 * accounts no longer hold of the 200 they started with, once the system has run out of work.
 */
import type { ExperimentDefinition } from '../tools/experiment/definition.ts';
import type { TrialOutcome } from '../tools/experiment/metrics.ts';

const STARTING_MONEY = 200;

function moneyLost(run: TrialOutcome): number | null {
  const accounts = run.processes.filter((p) => p.program === 'naive-account' || p.program === 'account');
  if (accounts.length !== 2) return null;
  return STARTING_MONEY - accounts.reduce((sum, p) => sum + (p.state as { balance: number }).balance, 0);
}

export const experiment: ExperimentDefinition = {
  name: 'models-transfer',
  description: 'Money conserved and work lost by transfer-naive and transfer under each persistence model, the power pulled at random.',
  systems: ['transfer-naive', 'transfer'],
  grid: { model: ['explicit', 'checkpoint', 'both', 'transcript'], fault: ['rate:0.05'], syncEvery: [1], checkpointEvery: [5], cranks: [300] },
  seeds: 20,
  metrics: ['cranksRun', 'powerLosses', 'cranksLost', 'commitsLost', 'violations'],
  custom: { moneyLost },
  plots: [
    { name: 'money-lost', title: 'Money lost (of 200) by persistence model', x: 'model', y: 'moneyLost', color: 'system' },
    { name: 'work-lost', title: 'Cranks of work lost by persistence model', x: 'model', y: 'cranksLost', color: 'system' },
  ],
};
