/**
 * `capsim demo` — what `npm start` runs: the whole persistence cycle on the embedded store.
 * Boot an example system (or the one a previous run left), run it, pull the power at a seeded
 * point, restart, check the invariants, and leave the store for the next run.
 */
import { parseFlag } from '../flags.ts';
import { rm } from 'node:fs/promises';
import type { Command } from 'commander';
import { Rng } from '../../../kernel/index.ts';
import { formatReport, historyCounts, outputLatency, System, violations, type RestartReport } from '../../../restart-agent/index.ts';
import { CommandFailed, EXIT_FAILURE } from '../errors.ts';
import { exampleNamed, storeLocation, DEFAULT_STORE_DIR } from '../locate.ts';
import { bold, colorVerdicts, cyan, dim, printJson } from '../output.ts';

interface DemoOptions {
  store?: string;
  seed?: string;
  system: string;
  fresh?: boolean;
  json?: boolean;
}

/** Commits between syncs: some work is unsynced when the power goes, so loss is visible. */
const SYNC_EVERY = 4;

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('boot an example system on the embedded store, run it, pull the power, restart, verify, report')
    .option('--store <dir>', `store folder (default ${DEFAULT_STORE_DIR})`)
    .option('--seed <n>', 'seed for every choice (default: random, printed)')
    .option('--system <name>', 'example system to run', 'counter')
    .option('--fresh', 'discard the store a previous run left and start over')
    .option('--json', 'print the report as one JSON object')
    .action(async (opts: DemoOptions) => {
      const report = await runDemo(opts);
      if (violations(report.invariants).length > 0) throw new CommandFailed('an invariant was violated (see the report above)', EXIT_FAILURE);
    });
}

async function runDemo(opts: DemoOptions): Promise<RestartReport> {
  const seed = opts.seed === undefined ? (Math.random() * 2 ** 32) >>> 0 : parseFlag(opts.seed, '--seed');
  const spec = exampleNamed(opts.system);
  const location = storeLocation(opts.store);
  const say = opts.json ? (_: string) => {} : (line: string) => process.stdout.write(`${line}\n`);
  const rng = new Rng(seed);
  if (opts.fresh && location.backend === 'classic') await rm(location.path, { recursive: true, force: true });

  say(bold(`capsim demo — system '${spec.name}': ${spec.description}`));
  say(dim(`seed ${seed} (replay: capsim demo --seed ${seed}${opts.store ? ` --store ${opts.store}` : ''}); store ${location.backend === 'classic' ? location.path : 'memory'}`));

  const options = { spec, store: location, seed, syncEvery: SYNC_EVERY, trace: 'hash' as const };
  let system: System;
  const previous = await System.exists(location);
  if (previous) {
    say(`\n${cyan('1. boot')}  the store holds a system a previous run left (a process exit is a power loss too): restarting it`);
    const opened = await System.open(options);
    system = opened.system;
    say(indent(colorVerdicts(formatReport(opened.report))));
  } else {
    say(`\n${cyan('1. boot')}  a new '${spec.name}' system on an empty store`);
    system = await System.create(options);
    say(`   ${[...system.kernel.processes()].length} processes started in dependency order and registered in the trusted database`);
  }

  const cranks = 50 + rng.below(250);
  const ran = await system.run(cranks);
  say(`\n${cyan('2. run')}   ${ran} cranks, committing after each and syncing every ${SYNC_EVERY} commits`);
  say(`   ${describeStates(system)}`);
  if (system.clients.active) say(`   ${describeClients(system)}`);

  const keep = rng.below(SYNC_EVERY);
  const loss = await system.powerLoss({ keepBatches: keep });
  say(`\n${cyan('3. power')} pulled at crank ${loss.cranks}: ${loss.unsyncedBatches} unsynced batch(es) in the volatile buffer, ${Math.min(keep, loss.unsyncedBatches)} survive`);

  const report = await system.restart();
  say(`\n${cyan('4. restart')}`);
  say(indent(colorVerdicts(formatReport(report))));
  say(`   ${describeStates(system)}`);

  // I8: a power loss straight after a restart, then another restart, must give the same system.
  const before = system.fingerprint();
  await system.powerLoss({ keepBatches: 0 });
  const again = await system.restart();
  const same = system.fingerprint() === before;
  report.invariants['I8 restart idempotence'] = same ? 'ok' : `a second restart gave fingerprint ${system.fingerprint()}, the first ${before}`;
  for (const [k, v] of Object.entries(again.invariants)) if (v !== 'ok' && !report.invariants[k]?.startsWith('not checked')) report.invariants[`${k} (second restart)`] = v;
  say(`\n${cyan('5. verify')} power lost again right after the restart; restarted: ${same ? 'the same system (I8 ok)' : 'a DIFFERENT system (I8 violated)'}`);

  await system.close();
  const rerun = opts.store === undefined ? 'npm start' : `capsim demo --store ${opts.store}`;
  const fresh = opts.store === undefined ? '-- --fresh' : '--fresh';
  say(`\n${bold('done.')} The store is left in ${location.backend === 'classic' ? location.path : 'memory'}: run ${bold(rerun)} again to boot it, or add ${bold(fresh)} to start over.`);
  if (opts.json) printJson(report);
  return report;
}

function describeStates(system: System): string {
  const parts: string[] = [];
  for (const p of system.kernel.processes()) parts.push(`p${p.id} ${p.program} ${JSON.stringify(p.state)}`);
  return parts.join('; ');
}

/** What the clients outside the machine were told, and how long their answers waited to be durable. */
function describeClients(system: System): string {
  const c = historyCounts(system.clients.history);
  const l = outputLatency(system.clients.history);
  const waiting = c.ops - c.ok - c.fail - c.indeterminate;
  return `clients asked ${c.ops} time(s): ${c.ok} told ok, ${waiting} still waiting; each answer held until durable (mean ${l.heldCranksMean.toFixed(1)}, at most ${l.heldCranksMax} crank(s))`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `   ${l}`)
    .join('\n');
}
