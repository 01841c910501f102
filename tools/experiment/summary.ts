/**
 * The summary: per cell and metric, the median, min and max over the cell's seeds (trials
 * whose metric is null — not applicable — left out).
 */
import type { ExperimentDefinition } from './definition.ts';
import { metricColumns, type Row } from './rows.ts';
import { cellLabel, cellsOf, type Cell } from './trials.ts';

export interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
}

export interface CellSummary {
  cell: number;
  label: string;
  system: string;
  varied: Cell['varied'];
  trials: number;
  metrics: Record<string, Stat | null>;
}

export function summarize(def: ExperimentDefinition, rows: readonly Row[]): CellSummary[] {
  const byCell = new Map<number, Row[]>();
  for (const r of rows) {
    const cell = Number(/^c(\d+)-/.exec(r.trial)?.[1] ?? NaN);
    const list = byCell.get(cell) ?? [];
    list.push(r);
    byCell.set(cell, list);
  }
  const out: CellSummary[] = [];
  for (const cell of cellsOf(def)) {
    const mine = byCell.get(cell.index) ?? [];
    if (mine.length === 0) continue;
    const metrics: Record<string, Stat | null> = {};
    for (const m of metricColumns(def)) metrics[m] = statOf(mine.map((r) => r.metrics[m] ?? null).filter((x): x is number => x !== null));
    out.push({ cell: cell.index, label: cellLabel(cell), system: cell.system, varied: cell.varied, trials: mine.length, metrics });
  }
  return out;
}

export function statOf(values: number[]): Stat | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, n: sorted.length };
}

/** The summary as a Markdown table: one row per cell, `median (min–max)` per metric. */
export function summaryMarkdown(def: ExperimentDefinition, cells: readonly CellSummary[], metrics = metricColumns(def)): string {
  const header = ['cell', 'trials', ...metrics];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const c of cells) {
    const stats = metrics.map((m) => {
      const s = c.metrics[m];
      if (s === null || s === undefined) return '–';
      return s.min === s.max ? fmt(s.median) : `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
    });
    lines.push(`| ${c.label} | ${c.trials} | ${stats.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

export function fmt(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(1) : x.toPrecision(2);
}
