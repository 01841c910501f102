/**
 * What an experiment leaves in its output folder, from its rows:
 *
 *   rows.jsonl     the journal (see journal.ts): every row as it finished
 *   results.csv    one row per trial, the command that replays it in the last column
 *   results.json   { experiment, trials, rows }
 *   summary.json   per cell and metric: median, min, max
 *   plots/*.svg    the experiment's plots, rendered in-process
 *   report.md      the summary table and the plots, for a person to read
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExperimentDefinition } from './definition.ts';
import { renderPlot } from './plot.ts';
import { toCsv, type Row } from './rows.ts';
import { summarize, summaryMarkdown, type CellSummary } from './summary.ts';

export interface Outputs {
  dir: string;
  files: string[];
  summary: CellSummary[];
}

export async function writeOutputs(def: ExperimentDefinition, rows: readonly Row[], dir: string, trialsInAll: number): Promise<Outputs> {
  const sorted = [...rows].sort((a, b) => a.index - b.index);
  const summary = summarize(def, sorted);
  const files: string[] = [];
  const put = async (name: string, text: string): Promise<void> => {
    await writeFile(join(dir, name), text);
    files.push(name);
  };
  await put('results.csv', toCsv(def, sorted));
  await put('results.json', `${JSON.stringify({ experiment: def.name, trials: trialsInAll, rows: sorted }, null, 1)}\n`);
  await put('summary.json', `${JSON.stringify({ experiment: def.name, cells: summary }, null, 1)}\n`);
  const plots: string[] = [];
  if ((def.plots ?? []).length > 0) await mkdir(join(dir, 'plots'), { recursive: true });
  for (const plot of def.plots ?? []) {
    const name = `plots/${plot.name}.svg`;
    await put(name, await renderPlot(plot, summary));
    plots.push(`![${plot.title ?? plot.name}](${name})`);
  }
  const missing = trialsInAll - sorted.length;
  const report = [
    `# Experiment ${def.name}`,
    '',
    ...(def.description ? [def.description, ''] : []),
    `${sorted.length} of ${trialsInAll} trial(s)${missing > 0 ? ` — ${missing} not run here (another shard, or stopped: merge or --resume)` : ''}. Each cell: median (min–max) over its seeds.`,
    '',
    summaryMarkdown(def, summary),
    ...plots.flatMap((p) => [p, '']),
    'Every row of `results.csv` ends with the command that replays it.',
    '',
  ].join('\n');
  await put('report.md', report);
  return { dir, files, summary };
}
