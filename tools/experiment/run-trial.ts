/**
 * One trial: a fresh store, the system of its cell, its seed and parameters; run the cranks,
 * pulling the power where the fault plan says and restarting each time; then measure. A
 * trial depends on its definition, cell and seed alone (wall-clock metrics aside), so it can
 * run in any worker, any shard, any order.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { checkSpec, type SystemSpec } from '../../kernel/index.ts';
import { System, violations, type PersistenceModel, type StoreLocation } from '../../restart-agent/index.ts';
import { MemoryDisk } from '../../store/index.ts';
import { loadSystem, looksLikePath } from '../cli/load-system.ts';
import { DescriptionError, loadModel } from '../loader/index.ts';
import { ExperimentError, type ExperimentDefinition, type Params } from './definition.ts';
import { lossPoints, parseFaultPlan } from './fault-plan.ts';
import type { TrialOutcome } from './metrics.ts';
import type { Trial } from './trials.ts';

export interface LoadedExperiment {
  definition: ExperimentDefinition;
  /** The experiment file's folder: system paths are relative to it. */
  baseDir: string;
  /** Where trials keep classic-level stores; a fresh temporary folder each unless set. */
  scratchDir?: string;
}

const specCache = new WeakMap<ExperimentDefinition, Map<string, SystemSpec>>();

export async function systemOf(loaded: LoadedExperiment, trial: Trial): Promise<SystemSpec> {
  const def = loaded.definition;
  const ref = def.systems.find((s) => (typeof s === 'string' ? s : s.name) === trial.cell.system);
  if (ref === undefined) throw new ExperimentError(`no system '${trial.cell.system}' in experiment '${def.name}'`);
  if (typeof ref !== 'string') {
    const params: Record<string, unknown> = {};
    for (const key of ref.params) if (key in trial.cell.params) params[key] = trial.cell.params[key];
    let spec: SystemSpec;
    try {
      spec = ref.build(params as Params);
      checkSpec(spec);
    } catch (error) {
      throw new ExperimentError(`system '${ref.name}' with ${JSON.stringify(params)}: ${(error as Error).message}`);
    }
    return spec;
  }
  let cache = specCache.get(def);
  if (cache === undefined) specCache.set(def, (cache = new Map()));
  let spec = cache.get(ref);
  if (spec === undefined) {
    spec = await loadSystem(looksLikePath(ref) && !isAbsolute(ref) ? resolve(loaded.baseDir, ref) : ref);
    cache.set(ref, spec);
  }
  return spec;
}

const modelCache = new WeakMap<ExperimentDefinition, Map<string, Promise<PersistenceModel>>>();

/** The trial's persistence model: a built-in's name, or a module path relative to the experiment file. */
export function modelOf(loaded: LoadedExperiment, trial: Trial): Promise<PersistenceModel> {
  const def = loaded.definition;
  const ref = String(trial.cell.params.model);
  let cache = modelCache.get(def);
  if (cache === undefined) modelCache.set(def, (cache = new Map()));
  let model = cache.get(ref);
  if (model === undefined) {
    model = loadModel(ref, loaded.baseDir).catch((error: unknown) => {
      throw error instanceof DescriptionError ? new ExperimentError(`grid.model: ${error.message}`) : error;
    });
    cache.set(ref, model);
  }
  return model;
}

export async function runTrial(loaded: LoadedExperiment, trial: Trial): Promise<TrialOutcome> {
  const spec = await systemOf(loaded, trial);
  const model = await modelOf(loaded, trial);
  const p = trial.cell.params;
  const cranks = p.cranks as number;
  const losses = lossPoints(parseFaultPlan(p.fault), cranks, trial.seed);
  const backend = p.backend === 'classic' ? 'classic' : 'memory';
  const disk = new MemoryDisk();
  const folder = backend === 'classic' ? await mkdtemp(join(loaded.scratchDir ?? tmpdir(), 'capsim-trial-')) : null;
  const store: StoreLocation = folder === null ? { backend: 'memory', disk } : { backend: 'classic', path: folder };
  const started = performance.now();
  try {
    const system = await System.create({
      spec,
      store,
      seed: trial.seed,
      model,
      syncEvery: p.syncEvery as number,
      groupCommit: p.groupCommit as number,
      checkpointEvery: p.checkpointEvery as number,
      checkpointKeep: p.checkpointKeep as number,
      schedule: p.schedule === 'seeded' ? 'seeded' : 'fifo',
    });
    const outcome: TrialOutcome = {
      system: trial.cell.system,
      params: p,
      seed: trial.seed,
      cranksRun: 0,
      powerLosses: 0,
      commitsLost: 0,
      restarts: [],
      checkpoints: system.checkpointCost,
      restartMs: [],
      store: { records: 0, bytes: 0 },
      violations: [],
      processes: [],
      runMs: 0,
    };
    try {
      let at = 0;
      for (const loss of [...losses, cranks]) {
        const ran = await system.run(loss - at);
        outcome.cranksRun += ran;
        at = loss;
        if (loss === cranks) break;
        const power = await system.powerLoss({ keepBatches: p.keepBatches as number });
        outcome.powerLosses++;
        outcome.commitsLost += Math.max(0, power.unsyncedBatches - (p.keepBatches as number));
        const t = performance.now();
        const report = await system.restart();
        outcome.restartMs.push(performance.now() - t);
        outcome.restarts.push(report);
        outcome.violations.push(...violations(report.invariants));
      }
      outcome.processes = [...system.kernel.processes()].sort((a, b) => a.id - b.id).map((x) => ({ pid: x.id, program: x.program, status: x.status, state: x.state }));
    } finally {
      await system.close();
    }
    outcome.store = folder === null ? await memorySize(disk) : await folderSize(folder);
    outcome.runMs = performance.now() - started;
    return outcome;
  } finally {
    if (folder !== null) await rm(folder, { recursive: true, force: true });
  }
}

async function memorySize(disk: MemoryDisk): Promise<TrialOutcome['store']> {
  let records = 0;
  let bytes = 0;
  for (const [key, value] of await disk.rawEntries()) {
    records++;
    bytes += Buffer.byteLength(key) + value.byteLength;
  }
  return { records, bytes };
}

/** On classic-level the bytes are the folder's files, compaction and all; records are not counted there. */
async function folderSize(folder: string): Promise<TrialOutcome['store']> {
  let bytes = 0;
  for (const name of await readdir(folder)) bytes += (await stat(join(folder, name))).size;
  return { records: null, bytes };
}
