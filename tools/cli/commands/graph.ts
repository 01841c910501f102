/**
 * `capsim graph <system> | --store DIR` — the capability graph: processes and objects as
 * nodes, capabilities as edges labelled with rights and badge; as text, DOT, SVG (rendered
 * in-process) or JSON. With --diff: run, capture, pull the power, restart, capture again, and
 * show what changed — edges and nodes, and each process's status, state and queue, since a
 * restart that brings every named capability back still rebuilds states and drops messages.
 * Commits are synced every 4th, as `run` does: syncing every one of them left a power loss
 * nothing to take.
 */
import { parseFlag } from '../flags.ts';
import type { Command } from 'commander';
import { PERSISTENCE_MODELS, System } from '../../../restart-agent/index.ts';
import { MemoryDisk } from '../../../store/index.ts';
import { buildGraph, diffAcrossPowerLoss, dotToSvg, GRAPH_FORMATS, graphJson, renderDiffDot, renderDiffText, renderDot, renderSvg, renderText, type CapGraph, type GraphFormat, type PowerLossDiff } from '../../graph/index.ts';
import { UsageError } from '../errors.ts';
import { loadSystem, openStoredSystem } from '../load-system.ts';

import { printJson } from '../output.ts';
import { parseModel } from './run.ts';

interface GraphOptions {
  store?: string;
  format: string;
  diff?: boolean;
  cranks: string;
  seed: string;
  syncEvery: string;
  keepBatches: string;
  model: string;
}

export function registerGraph(program: Command): void {
  program
    .command('graph')
    .description('print the capability graph of a system after N cranks (or of a store): text, dot, svg or json; --diff shows what a power loss and restart changed')
    .argument('[system]', 'an example name or a module path; with --store, the programs the store runs (default: the one it names)')
    .option('--store <dir>', 'boot this store and show its graph instead of running a fresh system')
    .option('--format <format>', `output format: ${GRAPH_FORMATS.join(', ')}`, 'text')
    .option('--diff', 'capture the graph, pull the power, restart, capture again and show what changed')
    .option('--cranks <n>', 'cranks to run before capturing (fresh system only)', '20')
    .option('--seed <n>', 'seed for every choice', '1')
    .option('--sync-every <n>', 'sync every Nth commit (fresh system only)', '4')
    .option('--keep-batches <b>', 'with --diff: unsynced commit batches that survive the power loss', '0')
    .option('--model <model>', `persistence model of a fresh system: ${PERSISTENCE_MODELS.join(', ')}`, 'explicit')
    .action(async (ref: string | undefined, opts: GraphOptions) => {
      if (!(GRAPH_FORMATS as readonly string[]).includes(opts.format)) throw new UsageError(`--format must be one of ${GRAPH_FORMATS.join(', ')}, got '${opts.format}'`);
      const format = opts.format as GraphFormat;
      const cranks = parseFlag(opts.cranks, '--cranks');
      const seed = parseFlag(opts.seed, '--seed');
      const syncEvery = parseFlag(opts.syncEvery, '--sync-every');
      const keepBatches = parseFlag(opts.keepBatches, '--keep-batches');
      const model = parseModel(opts.model);
      if (ref === undefined && opts.store === undefined) throw new UsageError("name a system (see 'capsim examples') or give --store <dir>");

      const system =
        opts.store !== undefined
          ? (await openStoredSystem({ store: opts.store, system: ref, seed })).system
          : await System.create({ spec: await loadSystem(ref as string), store: { backend: 'memory', disk: new MemoryDisk() }, seed, syncEvery, model });
      let before: CapGraph;
      let across: PowerLossDiff | null = null;
      try {
        if (opts.store === undefined) await system.run(cranks);
        before = buildGraph(system.kernel);
        if (opts.diff) across = await diffAcrossPowerLoss(system, keepBatches);
      } finally {
        await system.close();
      }

      if (across === null) {
        if (format === 'json') printJson(graphJson(before));
        else if (format === 'dot') write(renderDot(before));
        else if (format === 'svg') write(await renderSvg(before));
        else write(renderText(before));
        return;
      }
      const { diff, after } = across;
      if (format === 'json') printJson({ before: graphJson(before), after: graphJson(after), ...diff });
      else if (format === 'dot') write(renderDiffDot(diff, after));
      else if (format === 'svg') write(await dotToSvg(renderDiffDot(diff, after)));
      else write(renderDiffText(diff, before, after));
    });
}

function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
