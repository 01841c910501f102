/**
 * Plots, as SVG rendered in this process: a plot spec names a parameter for x, a metric for
 * y and optionally a parameter for colour; it becomes a Vega-Lite chart of the cells' medians
 * with a band from min to max, which Vega renders headless (no browser, no canvas).
 */
import type * as vegaLite from 'vega-lite';
import type { CellSummary } from './summary.ts';

export interface PlotSpec {
  /** File name without extension: `<name>.svg` in the output's plots/ folder. */
  name: string;
  title?: string;
  /** A parameter of the grid. */
  x: string;
  /** A metric column. */
  y: string;
  /** A parameter of the grid that tells lines apart (also 'system'). */
  color?: string;
  /** Logarithmic axes (e.g. restart time against processes). */
  logX?: boolean;
  logY?: boolean;
  /** Only the cells whose parameters have these values. */
  where?: Readonly<Record<string, string | number | boolean>>;
}

interface Point {
  x: string | number | boolean;
  median: number;
  min: number;
  max: number;
  series: string;
}

export function plotPoints(plot: PlotSpec, cells: readonly CellSummary[]): Point[] {
  const points: Point[] = [];
  for (const c of cells) {
    const param = (key: string): string | number | boolean | undefined => (key === 'system' ? c.system : c.varied[key]);
    if (plot.where && Object.entries(plot.where).some(([k, v]) => param(k) !== v)) continue;
    const x = param(plot.x);
    const stat = c.metrics[plot.y];
    if (x === undefined || stat === null || stat === undefined) continue;
    points.push({ x, median: stat.median, min: stat.min, max: stat.max, series: plot.color ? String(param(plot.color)) : plot.y });
  }
  return points;
}

export function vegaLiteSpec(plot: PlotSpec, points: readonly Point[]): vegaLite.TopLevelSpec {
  const numeric = points.every((p) => typeof p.x === 'number');
  const yScale = plot.logY ? { type: 'log' as const } : { zero: false };
  const yTitle = `${plot.y} (median; min–max)`;
  // One series needs no legend: the y axis names it.
  const color = { field: 'series', type: 'nominal' as const, title: plot.color ?? '', sort: null, ...(plot.color === undefined ? { legend: null } : {}) };
  const common = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: plot.title ?? `${plot.y} against ${plot.x}`,
    width: 420,
    height: 260,
    background: 'white',
    data: { values: points.map((p) => ({ ...p, x: typeof p.x === 'number' ? p.x : String(p.x) })) },
  };
  if (numeric) {
    // A numeric parameter: a line through the medians over a band from min to max.
    const x = { field: 'x', type: 'quantitative' as const, title: plot.x, scale: plot.logX ? { type: 'log' as const } : { zero: false } };
    return {
      ...common,
      layer: [
        { mark: { type: 'errorband', opacity: 0.2 }, encoding: { x, y: { field: 'min', type: 'quantitative', title: yTitle, scale: yScale }, y2: { field: 'max' }, color } },
        { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'median', type: 'quantitative', scale: yScale }, color } },
      ],
    };
  }
  // Categories (models, systems): a point at the median with a bar from min to max, series side by side, in the grid's order.
  const x = { field: 'x', type: 'nominal' as const, title: plot.x, sort: null, axis: { labelAngle: 0 } };
  const xOffset = { field: 'series', type: 'nominal' as const, sort: null };
  return {
    ...common,
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, xOffset, y: { field: 'min', type: 'quantitative', title: yTitle, scale: yScale }, y2: { field: 'max' }, color } },
      { mark: { type: 'point', filled: true, size: 70 }, encoding: { x, xOffset, y: { field: 'median', type: 'quantitative', scale: yScale }, color } },
    ],
  };
}

/** The SVG text of a plot, rendered in-process. */
export async function renderPlot(plot: PlotSpec, cells: readonly CellSummary[]): Promise<string> {
  // Loaded here, not with the module: vega takes a fifth of a second to load, which every
  // capsim command would pay at start for the one that draws.
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const points = plotPoints(plot, cells);
  const compiled = vegaLite.compile(vegaLiteSpec(plot, points)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
