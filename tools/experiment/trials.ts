/**
 * An experiment's trials: every system × every combination of the grid (a cell) × every seed,
 * in one fixed order, each with an id that names it in results, replays and merges. The order
 * depends on the definition alone, so a shard, a resumed run and a merge all agree on it.
 */
import { BUILTIN_PARAMS, seedList, systemName, type ExperimentDefinition, type ParamValue, type Params } from './definition.ts';

export interface Cell {
  index: number;
  system: string;
  /** The grid's parameters that have more than one setting, in the grid's order: what tells cells apart. */
  varied: Params;
  /** Every parameter a trial runs with: capsim's defaults, then the grid's. */
  params: Params;
}

export interface Trial {
  /** Position in the experiment's order. */
  index: number;
  /** `c<cell>-s<seed>`: stable while the definition does not change. */
  id: string;
  cell: Cell;
  seed: number;
}

export function cellsOf(def: ExperimentDefinition): Cell[] {
  const cells: Cell[] = [];
  for (const system of def.systems) {
    // A system varies only by capsim's parameters and its own: another system's size is not its cell.
    const own = new Set(typeof system === 'string' ? [] : system.params);
    const grid = Object.entries(def.grid ?? {}).filter(([key]) => key in BUILTIN_PARAMS || own.has(key));
    let combos: Record<string, ParamValue>[] = [{}];
    for (const [key, values] of grid) combos = combos.flatMap((combo) => values.map((v) => ({ ...combo, [key]: v })));
    // A parameter with one setting is part of every cell, not what tells cells apart.
    const label = (combo: Record<string, ParamValue>): Params => Object.fromEntries(Object.entries(combo).filter(([key]) => (def.grid?.[key]?.length ?? 0) > 1));
    for (const combo of combos) cells.push({ index: cells.length, system: systemName(system), varied: label(combo), params: { ...BUILTIN_PARAMS, ...combo } });
  }
  return cells;
}

export function trialsOf(def: ExperimentDefinition): Trial[] {
  const seeds = seedList(def.seeds);
  const trials: Trial[] = [];
  for (const cell of cellsOf(def)) for (const seed of seeds) trials.push({ index: trials.length, id: `c${cell.index}-s${seed}`, cell, seed });
  return trials;
}

/** A cell as one line: `transfer-naive model=checkpoint checkpointEvery=10`. */
export function cellLabel(cell: Cell): string {
  const parts = Object.entries(cell.varied).map(([k, v]) => `${k}=${String(v)}`);
  return [cell.system, ...parts].join(' ');
}

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

/** The trials of one shard: every count-th, so that each shard gets a share of every cell. */
export function shardOf(trials: readonly Trial[], shard: Shard): Trial[] {
  return trials.filter((t) => t.index % shard.count === shard.index);
}

/** Shards at most; more would leave most of them empty. */
export const SHARDS_MAX = 10_000;

/**
 * The shard to run: `--shard K/N` (K counted from 1), else a Slurm array task
 * (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT), else a Kubernetes
 * Indexed Job (JOB_COMPLETION_INDEX, with the count in CAPSIM_SHARDS, since Kubernetes does not
 * pass `completions` to the pod), else the whole experiment.
 */
export function resolveShard(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): Shard | null {
  if (flag !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(flag);
    const k = m ? Number(m[1]) : NaN;
    const n = m ? Number(m[2]) : NaN;
    if (!m || n < 1 || n > SHARDS_MAX || k < 1 || k > n) throw new RangeError(`--shard must be K/N with 1 ≤ K ≤ N ≤ ${SHARDS_MAX}, got '${flag}'`);
    return { index: k - 1, count: n };
  }
  if (env.SLURM_ARRAY_TASK_ID !== undefined && env.SLURM_ARRAY_TASK_COUNT !== undefined) {
    const id = Number(env.SLURM_ARRAY_TASK_ID);
    const min = Number(env.SLURM_ARRAY_TASK_MIN ?? '0');
    const count = Number(env.SLURM_ARRAY_TASK_COUNT);
    return checkedShard(id - min, count, 'SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN');
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    if (env.CAPSIM_SHARDS === undefined) throw new RangeError('JOB_COMPLETION_INDEX is set but CAPSIM_SHARDS is not: set it to the Job\'s completions');
    return checkedShard(Number(env.JOB_COMPLETION_INDEX), Number(env.CAPSIM_SHARDS), 'JOB_COMPLETION_INDEX');
  }
  return null;
}

function checkedShard(index: number, count: number, what: string): Shard {
  if (!Number.isSafeInteger(count) || count < 1 || count > SHARDS_MAX) throw new RangeError(`the shard count must be 1..${SHARDS_MAX}, got ${count}`);
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) throw new RangeError(`${what} gives shard ${index}, outside 0..${count - 1}`);
  return { index, count };
}
