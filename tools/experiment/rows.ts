/**
 * A result row: one trial's parameters and metrics, flat, with the command that replays it.
 * Rows are what workers send back, what the journal keeps, what CSV and JSON hold and what a
 * merge joins.
 */
import { BUILTIN_METRICS, type Metric, type TrialOutcome } from './metrics.ts';
import { BUILTIN_PARAMS, ExperimentError, type ExperimentDefinition, type ParamValue } from './definition.ts';
import type { Trial } from './trials.ts';

export type Cell = ParamValue | null;

export interface Row {
  trial: string;
  index: number;
  system: string;
  seed: number;
  /** Every parameter the trial ran with. */
  params: Record<string, ParamValue>;
  /** Every metric column: built-in ones chosen by the experiment, then the user's. */
  metrics: Record<string, number | null>;
  /** The command that runs this trial again and prints its row. */
  replay: string;
}

/** The metric columns of an experiment, in output order. */
export function metricColumns(def: ExperimentDefinition): string[] {
  return [...(def.metrics ?? Object.keys(BUILTIN_METRICS)), ...Object.keys(def.custom ?? {})];
}

/** The parameter columns: capsim's own, then the systems' in the grid's order. */
export function paramColumns(def: ExperimentDefinition): string[] {
  const extra = Object.keys(def.grid ?? {}).filter((k) => !(k in BUILTIN_PARAMS));
  return [...Object.keys(BUILTIN_PARAMS), ...extra];
}

export function rowOf(def: ExperimentDefinition, trial: Trial, outcome: TrialOutcome, replay: string): Row {
  const metrics: Record<string, number | null> = {};
  for (const name of def.metrics ?? Object.keys(BUILTIN_METRICS)) metrics[name] = finite((BUILTIN_METRICS as Record<string, Metric>)[name]?.of(outcome) ?? null);
  for (const [name, fn] of Object.entries(def.custom ?? {})) {
    let value: number | null;
    try {
      value = fn(outcome);
    } catch (error) {
      throw new ExperimentError(`custom metric '${name}' threw on trial ${trial.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (value !== null && typeof value !== 'number') throw new ExperimentError(`custom metric '${name}' gave ${JSON.stringify(value)} on trial ${trial.id}, not a number or null`);
    metrics[name] = finite(value);
  }
  return { trial: trial.id, index: trial.index, system: trial.cell.system, seed: trial.seed, params: { ...trial.cell.params }, metrics, replay };
}

function finite(x: number | null): number | null {
  return x === null || !Number.isFinite(x) ? null : x;
}

/** The CSV text of rows (RFC 4180 quoting), columns in a fixed order. */
export function toCsv(def: ExperimentDefinition, rows: readonly Row[]): string {
  const params = paramColumns(def);
  const metrics = metricColumns(def);
  const header = ['trial', 'system', 'seed', ...params, ...metrics, 'replay'];
  const lines = [header.map(quote).join(',')];
  for (const r of rows) {
    const cells: Cell[] = [r.trial, r.system, r.seed, ...params.map((k) => r.params[k] ?? null), ...metrics.map((k) => r.metrics[k] ?? null), r.replay];
    lines.push(cells.map(quote).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function quote(cell: Cell): string {
  if (cell === null) return '';
  const text = typeof cell === 'number' ? String(Math.round(cell * 1000) / 1000) : String(cell);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
