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
