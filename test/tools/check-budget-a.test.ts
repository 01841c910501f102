/** Part of the explorer's budget in `npm test` (see support/check-budget.ts). */
import { budgetSuite } from './support/check-budget.ts';

budgetSuite('capsim check, random schedules (1 of 4)', [
  { system: 'counter', model: 'explicit', runs: 1300 },
  { system: 'ping-pong', model: 'explicit', runs: 1200 },
]);
