/** Part of the explorer's budget in `npm test` (see support/check-budget.ts). */
import { budgetSuite } from './support/check-budget.ts';

budgetSuite('capsim check, random schedules (3 of 4)', [
  { system: 'file-server', model: 'explicit', runs: 1300 },
  { system: 'flood', model: 'explicit', runs: 1200 },
  { system: 'kv', model: 'explicit', runs: 300 },
  { system: 'kv', model: 'checkpoint', runs: 150 },
]);
