/** Part of the explorer's budget in `npm test` (see support/check-budget.ts). */
import { budgetSuite } from './support/check-budget.ts';

budgetSuite('capsim check, random schedules (2 of 4)', [
  { system: 'bank', model: 'explicit', runs: 1300 },
  { system: 'boot-chain', model: 'explicit', runs: 1200 },
]);
