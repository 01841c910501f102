/**
 * `npm run test:deep`: the crash explorer far beyond what `npm test` affords — every example
 * under the explicit and checkpoint models, RUNS generated schedules each (default 50,000:
 * millions of power-loss recoveries in all). Every failure is appended, with the seed and path
 * that replay it, to .capsim/deep-failures.log, and the run goes on to the next system.
 *
 * usage: node bin/run-ts.js tools/check/deep.ts [--runs 50000] [--systems a,b] [--models explicit,checkpoint]
 * CAPSIM_SEED=<n> fixes the first seed (each system and model then uses seed + its index).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EXAMPLES } from '../../examples/index.ts';
import type { BuiltInModelName } from '../../restart-agent/index.ts';
import { explore, freshSeed } from './explore.ts';
import { replayCommand } from './format.ts';
import { faultKindsFor } from './schedule.ts';
import { SCHEDULE_DEFAULTS } from './arbitraries.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '50000' }, systems: { type: 'string' }, models: { type: 'string', default: 'explicit,checkpoint' } } });
const runs = Number(values.runs);
if (!Number.isSafeInteger(runs) || runs < 1) {
  console.error('--runs takes a positive integer');
  process.exit(2);
}
const systems = values.systems?.split(',') ?? Object.keys(EXAMPLES);
const models = (values.models as string).split(',') as BuiltInModelName[];
const first = process.env.CAPSIM_SEED !== undefined && process.env.CAPSIM_SEED !== '' ? Number(process.env.CAPSIM_SEED) : freshSeed();
const log = '.capsim/deep-failures.log';
let failures = 0;
let recoveries = 0;
let index = 0;
const started = Date.now();
for (const name of systems) {
  const spec = EXAMPLES[name];
  if (spec === undefined) {
    console.error(`no example '${name}'`);
    process.exit(2);
  }
  for (const model of models) {
    const seed = (first + index++) | 0;
    const result = await explore(spec, { runs, seed, model });
    recoveries += result.stats.restarts;
    const f = result.failure;
    if (f === null) {
      console.log(`ok   ${name} (${model}): ${result.runs} runs, ${result.stats.restarts} recoveries, seed ${seed}, ${(result.timeMs / 1000).toFixed(0)} s`);
      continue;
    }
    failures++;
    const replay = replayCommand({ system: name, model, faults: faultKindsFor(model), maxSteps: SCHEDULE_DEFAULTS.maxSteps, maxCranks: SCHEDULE_DEFAULTS.maxCranks, variant: null }, f.seed, f.path);
    const line = `${new Date().toISOString()} ${name} (${model}) seed ${f.seed}: ${f.outcome.violations.map((v) => v.invariant).join(', ')}; replay: ${replay}`;
    mkdirSync('.capsim', { recursive: true });
    appendFileSync(log, `${line}\n`);
    console.log(`FAIL ${line}`);
  }
}
console.log(`${failures === 0 ? 'ok' : `${failures} failure(s), recorded in ${log}`}: ${recoveries} power-loss recoveries in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exitCode = failures === 0 ? 0 : 1;
