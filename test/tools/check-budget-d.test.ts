/** Part of the explorer's budget in `npm test` (see support/check-budget.ts): the transfers, and the checkpoint model. */
import { budgetSuite } from './support/check-budget.ts';

budgetSuite('capsim check, random schedules (4 of 4)', [
  { system: 'transfer', model: 'explicit', runs: 700 },
  { system: 'transfer-naive', model: 'explicit', runs: 600 },
  { system: 'counter', model: 'checkpoint', runs: 600 },
  { system: 'bank', model: 'checkpoint', runs: 600 },
]);
