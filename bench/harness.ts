/**
 * The benchmark harness. Every benchmark measures its own figure and, where one applies, a
 * baseline in the same call and the same process, so both see the same machine, the same JIT
 * state and the same load; the ratio between them is the number worth comparing across machines.
 * Each benchmark runs several times and the harness reports medians, which a single GC pause
 * or a cold JIT on the first run cannot move.
 */

export interface Measurement {
  value: number;
  /** Measured in the same call, same process; null where no baseline applies. */
  baseline: number | null;
}

export interface BenchmarkSpec {
  /** Dotted, unit last, e.g. 'store.commit_per_s'; `--only` matches on its prefix. */
  name: string;
  /** e.g. 'ops/s', 'ms', 'bytes', 'blocks'. */
  unit: string;
  /** What the baseline is, e.g. 'raw classic-level batch'; shown in the table. */
  baselineLabel?: string;
  /** How many times measure() runs; default DEFAULT_RUNS. */
  runs?: number;
  /** Human text, e.g. '>= 0.8 of baseline'; shown in the table, not checked. */
  target?: string;
  measure(): Promise<Measurement> | Measurement;
}

export interface BenchResult {
  name: string;
  /** Median over the runs; NaN when `error` is set. */
  value: number;
  unit: string;
  /** Median over the runs, or null where the benchmark has no baseline. */
  baseline: number | null;
  /** median(value) / median(baseline); null without a baseline or when the baseline is 0. */
  ratio: number | null;
  baselineLabel: string | null;
  /** Runs completed; fewer than asked when `error` is set. */
  runs: number;
  target?: string;
  /** Set when measure() threw or returned a malformed measurement; the row has no figures. */
  error?: string;
}

export interface RunOptions {
  /** Called before each run starts; `run` counts from 1. */
  onProgress?: (name: string, run: number, runs: number) => void;
  /** Overrides every spec's `runs` (the `--runs N` flag). */
  runs?: number;
}

export const DEFAULT_RUNS = 5;
/** A bound on runs, so a typo in `--runs` cannot keep a machine busy for a day. */
export const MAX_RUNS = 1000;

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no values');
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  // An even count has no middle element; the mean of the two middle ones is the usual convention.
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Throughput of a timed loop: `ops` done in `elapsedNs` as read from process.hrtime.bigint(). */
export function opsPerSecond(ops: number, elapsedNs: bigint): number {
  if (elapsedNs <= 0n) throw new Error(`elapsed time must be positive, got ${elapsedNs} ns`);
  return ops / (Number(elapsedNs) / 1e9);
}

/** Returns why a measurement cannot be used, or null when it can. */
function checkMeasurement(m: Measurement, hadBaseline: boolean | null): string | null {
  if (typeof m !== 'object' || m === null) return `measure() returned ${String(m)}, not { value, baseline }`;
  if (typeof m.value !== 'number' || !Number.isFinite(m.value)) return `measure() returned value ${String(m.value)}`;
  if (m.baseline !== null && (typeof m.baseline !== 'number' || !Number.isFinite(m.baseline))) {
    return `measure() returned baseline ${String(m.baseline)}`;
  }
  // A baseline in some runs and not others would make the medians compare different run sets.
  if (hadBaseline !== null && hadBaseline !== (m.baseline !== null)) return 'measure() returned a baseline in some runs only';
  return null;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The row of a spec before any run has succeeded; the figures are filled in at the end. */
function emptyResult(spec: BenchmarkSpec): BenchResult {
  return {
    name: spec.name,
    value: Number.NaN,
    unit: spec.unit,
    baseline: null,
    ratio: null,
    baselineLabel: spec.baselineLabel ?? null,
    runs: 0,
    ...(spec.target !== undefined ? { target: spec.target } : {}),
  };
}

async function runOne(spec: BenchmarkSpec, runs: number, opts: RunOptions): Promise<BenchResult> {
  const values: number[] = [];
  const baselines: number[] = [];
  const result = emptyResult(spec);
  for (let run = 1; run <= runs; run++) {
    opts.onProgress?.(spec.name, run, runs);
    let m: Measurement;
    try {
      m = await spec.measure();
    } catch (e) {
      return { ...result, runs: run - 1, error: errorMessage(e) };
    }
    const problem = checkMeasurement(m, run === 1 ? null : baselines.length > 0);
    if (problem !== null) return { ...result, runs: run - 1, error: problem };
    values.push(m.value);
    if (m.baseline !== null) baselines.push(m.baseline);
    // Let timers (the progress bar) and pending I/O run between runs rather than inside one.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const value = median(values);
  const baseline = baselines.length > 0 ? median(baselines) : null;
  // The ratio is of the two medians, not the median of per-run ratios: that way the ratio in the
  // table is exactly value / baseline as printed beside it, and a reader can check it by hand.
  const ratio = baseline === null || baseline === 0 ? null : value / baseline;
  return { ...result, value, baseline, ratio, runs };
}

/** Runs the specs one after another, in order; a failing spec yields an error row and the rest still run. */
export async function runBenchmarks(specs: BenchmarkSpec[], opts: RunOptions = {}): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const spec of specs) {
    const runs = opts.runs ?? spec.runs ?? DEFAULT_RUNS;
    if (!Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS) {
      results.push({ ...emptyResult(spec), error: `runs must be an integer from 1 to ${MAX_RUNS}, got ${runs}` });
      continue;
    }
    results.push(await runOne(spec, runs, opts));
  }
  return results;
}

/** Fixed locale, so the table reads the same on every machine. */
const figure = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });
const ratioFigure = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

const HEADERS = ['benchmark', 'value', 'unit', 'baseline', 'ratio', 'runs', 'baseline is', 'target'] as const;
/** Numbers right-aligned, text left-aligned. */
const RIGHT = new Set<string>(['value', 'baseline', 'ratio', 'runs']);

function cells(r: BenchResult): string[] {
  return [
    r.name,
    figure.format(r.value),
    r.unit,
    r.baseline === null ? '-' : figure.format(r.baseline),
    r.ratio === null ? '-' : ratioFigure.format(r.ratio),
    String(r.runs),
    r.baselineLabel ?? '-',
    r.target ?? '',
  ];
}

export function formatTable(results: BenchResult[]): string {
  if (results.length === 0) return 'no benchmarks ran\n';
  const ok = results.filter((r) => r.error === undefined);
  const rows = ok.map(cells);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (row: readonly string[]): string =>
    row
      .map((c, i) => (RIGHT.has(HEADERS[i] as string) ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const out = [line(HEADERS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  // Failures go below the table, whole, so a long message does not stretch every column.
  for (const r of results) if (r.error !== undefined) out.push(`${r.name}  FAILED: ${r.error}`);
  out.push('', 'value and baseline are medians over the runs; ratio = median(value) / median(baseline).');
  return out.join('\n') + '\n';
}

/** The `--json` shape: exactly these keys, failed benchmarks left out (they are reported on stderr). */
export interface JsonRow {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
}

export function toJsonRows(results: BenchResult[]): JsonRow[] {
  return results
    .filter((r) => r.error === undefined)
    .map(({ name, value, unit, baseline, ratio }) => ({ name, value, unit, baseline, ratio }));
}
