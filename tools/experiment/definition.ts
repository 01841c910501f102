/**
 * What an experiment file says: the systems, a grid of parameters, seeds per cell, metrics and
 * plots. An experiment file is a TypeScript module exporting `experiment` (functions allowed:
 * parametric systems, metrics of a run) or a JSON file holding the same object without the
 * functions. `checkExperiment` refuses a malformed one with one line naming what is wrong.
 */
import type { SystemSpec } from '../../kernel/index.ts';
import { isBuiltInModel, PERSISTENCE_MODELS } from '../../restart-agent/index.ts';
import { looksLikeModelPath } from '../loader/load-model.ts';
import { parseFaultPlan } from './fault-plan.ts';
import { BUILTIN_METRICS, type TrialOutcome } from './metrics.ts';
import type { PlotSpec } from './plot.ts';

/** A parameter value in the grid: plain, so that a row, a CSV cell and a replay can carry it. */
export type ParamValue = string | number | boolean;
export type Params = Readonly<Record<string, ParamValue>>;

/** A system whose description depends on parameters of the grid (e.g. the number of processes). */
export interface ParametricSystem {
  name: string;
  build: (params: Params) => SystemSpec;
  /** The grid keys `build` reads; any other non-built-in key is refused as a typo. */
  params: readonly string[];
}

export type SystemRef = string | ParametricSystem;

/** A user's metric: a number (or null: not applicable) computed from one finished trial. */
export type MetricFn = (run: TrialOutcome) => number | null;

export interface ExperimentDefinition {
  name: string;
  description?: string;
  /** Example names, paths (relative to the experiment file) of modules exporting `system`, or parametric systems. */
  systems: readonly SystemRef[];
  /** Each key a parameter, each value the list of its settings; the cells are every combination. */
  grid?: Readonly<Record<string, readonly ParamValue[]>>;
  /** Seeds per cell: a count (seeds 1..n) or the list. */
  seeds?: number | readonly number[];
  /** Built-in metrics to keep (default: all). */
  metrics?: readonly string[];
  /** The user's own metrics, by column name. */
  custom?: Readonly<Record<string, MetricFn>>;
  plots?: readonly PlotSpec[];
}

/**
 * The parameters capsim itself understands, with their defaults. Every other grid key must be a
 * parameter of a parametric system.
 */
export const BUILTIN_PARAMS = {
  model: 'explicit',
  cranks: 200,
  checkpointEvery: 100,
  checkpointKeep: 3,
  syncEvery: 4,
  groupCommit: 1,
  schedule: 'fifo',
  /** none | at:K | every:N | rate:P (see fault-plan.ts) */
  fault: 'none',
  /** Unsynced batches a power loss keeps. */
  keepBatches: 0,
  /** memory (memory-level) or classic (classic-level in a temporary folder). */
  backend: 'memory',
} as const satisfies Record<string, ParamValue>;

export type BuiltinParam = keyof typeof BUILTIN_PARAMS;

/** Bounds that keep a typo from asking for a week of work. */
export const CELLS_MAX = 10_000;
export const SEEDS_MAX = 10_000;
export const TRIALS_MAX = 1_000_000;
export const CRANKS_MAX = 10_000_000;

export class ExperimentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExperimentError';
  }
}

export function systemName(ref: SystemRef): string {
  return typeof ref === 'string' ? ref : ref.name;
}

export function seedList(seeds: ExperimentDefinition['seeds']): number[] {
  if (seeds === undefined) return [1];
  if (typeof seeds === 'number') return Array.from({ length: seeds }, (_, i) => i + 1);
  return [...seeds];
}

/** Checks everything that can be checked before a trial runs; throws ExperimentError naming the problem. */
export function checkExperiment(def: unknown, where: string): ExperimentDefinition {
  const fail = (what: string): never => {
    throw new ExperimentError(`${where}: ${what}`);
  };
  if (typeof def !== 'object' || def === null) fail('exports no experiment object');
  const d = def as ExperimentDefinition;
  if (typeof d.name !== 'string' || !/^[\w.-]{1,64}$/.test(d.name)) fail(`name must be 1–64 letters, digits, '.', '_' or '-', got ${JSON.stringify(d.name)}`);
  if (!Array.isArray(d.systems) || d.systems.length === 0) fail('systems must be a non-empty list');
  const names = new Set<string>();
  const systemParams = new Set<string>();
  for (const s of d.systems) {
    if (typeof s === 'string') {
      if (s.length === 0) fail('a system name is empty');
    } else if (typeof s === 'object' && s !== null && typeof s.name === 'string' && typeof s.build === 'function' && Array.isArray(s.params)) {
      for (const p of s.params) systemParams.add(p);
    } else fail('each system is an example name, a module path, or { name, build(params), params }');
    const name = systemName(s);
    if (names.has(name)) fail(`system '${name}' is listed twice`);
    names.add(name);
  }
  const grid = d.grid ?? {};
  if (typeof grid !== 'object' || grid === null || Array.isArray(grid)) fail('grid must be an object of parameter lists');
  for (const [key, values] of Object.entries(grid)) {
    if (!Array.isArray(values) || values.length === 0) fail(`grid.${key} must be a non-empty list`);
    if (new Set(values).size !== values.length) fail(`grid.${key} lists a value twice`);
    for (const v of values) if (!['string', 'number', 'boolean'].includes(typeof v)) fail(`grid.${key}: ${JSON.stringify(v)} is not a string, number or boolean`);
    if (key in BUILTIN_PARAMS) for (const v of values) checkBuiltinParam(key as BuiltinParam, v, fail);
    else if (!systemParams.has(key)) fail(`grid.${key} is neither a capsim parameter (${Object.keys(BUILTIN_PARAMS).join(', ')}) nor a parameter of a parametric system`);
  }
  let cells = 0;
  for (const s of d.systems) {
    const own = new Set(typeof s === 'string' ? [] : s.params);
    cells += Object.entries(grid).reduce((n, [key, values]) => (key in BUILTIN_PARAMS || own.has(key) ? n * values.length : n), 1);
  }
  if (cells > CELLS_MAX) fail(`the grid has ${cells} cells; at most ${CELLS_MAX}`);
  const seeds = seedList(d.seeds);
  if (seeds.length === 0 || seeds.length > SEEDS_MAX) fail(`seeds must give 1..${SEEDS_MAX} seeds`);
  for (const s of seeds) if (!Number.isSafeInteger(s) || s < 0) fail(`seed ${JSON.stringify(s)} is not a whole number`);
  if (new Set(seeds).size !== seeds.length) fail('seeds lists a seed twice');
  if (cells * seeds.length > TRIALS_MAX) fail(`${cells * seeds.length} trials; at most ${TRIALS_MAX}`);
  for (const m of d.metrics ?? []) if (!(m in BUILTIN_METRICS)) fail(`no built-in metric '${m}' (known: ${Object.keys(BUILTIN_METRICS).join(', ')})`);
  for (const [name, fn] of Object.entries(d.custom ?? {})) {
    if (typeof fn !== 'function') fail(`custom.${name} must be a function of the run`);
    if (name in BUILTIN_METRICS || name in BUILTIN_PARAMS) fail(`custom.${name} has the name of a built-in column`);
  }
  return d;
}

function checkBuiltinParam(key: BuiltinParam, value: ParamValue, fail: (what: string) => never): void {
  const count = (min: number, max: number): void => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) fail(`grid.${key}: ${JSON.stringify(value)} must be a whole number in ${min}..${max}`);
  };
  switch (key) {
    case 'model':
      if (typeof value !== 'string' || (!isBuiltInModel(value) && !looksLikeModelPath(value))) fail(`grid.model: '${String(value)}' is not one of ${PERSISTENCE_MODELS.join(', ')}, nor a path to a module that exports 'model'`);
      return;
    case 'backend':
      if (value !== 'memory' && value !== 'classic') fail(`grid.backend: '${String(value)}' is not memory or classic`);
      return;
    case 'schedule':
      if (value !== 'fifo' && value !== 'seeded') fail(`grid.schedule: '${String(value)}' is not fifo or seeded`);
      return;
    case 'fault':
      try {
        parseFaultPlan(value);
      } catch (error) {
        fail(`grid.fault: ${(error as Error).message}`);
      }
      return;
    case 'cranks':
      return count(1, CRANKS_MAX);
    case 'checkpointEvery':
      return count(0, CRANKS_MAX);
    case 'checkpointKeep':
    case 'syncEvery':
    case 'groupCommit':
      return count(1, 1000);
    case 'keepBatches':
      return count(0, 1000);
  }
}
