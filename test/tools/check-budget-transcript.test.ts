/** The crash explorer under the transcript model: replay after every fault, judged on every invariant (see support/check-budget.ts). */
import { budgetSuite } from './support/check-budget.ts';

budgetSuite('capsim check, random schedules, transcript model', [
  { system: 'bank', model: 'transcript', runs: 300 },
  { system: 'kv', model: 'transcript', runs: 300 },
  { system: 'transfer', model: 'transcript', runs: 200 },
  { system: 'file-server', model: 'transcript', runs: 200 },
]);
