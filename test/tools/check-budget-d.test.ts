/** Part of the explorer's budget in `npm test` (see support/check-budget.ts): the transfers, and the checkpoint and both models. */
import { budgetSuite } from './support/check-budget.ts';

budgetSuite('capsim check, random schedules (4 of 4)', [
  { system: 'transfer', model: 'explicit', runs: 500 },
  { system: 'transfer-naive', model: 'explicit', runs: 500 },
  { system: 'counter', model: 'checkpoint', runs: 500 },
  { system: 'bank', model: 'checkpoint', runs: 400 },
  { system: 'bank', model: 'both', runs: 300 },
  { system: 'file-server', model: 'both', runs: 300 },
]);
