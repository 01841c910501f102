/**
 * `npm run bench`: finds every `*.bench.ts` beside this file, runs the selected benchmarks and
 * prints a table, or with `--json` the bare figures. Exit codes: 0 all ran, 1 some benchmark or
 * file failed (the rest still ran), 2 the command line was wrong or selected nothing.
 * stdout carries only the report, so `--json` output can be piped; everything else goes to stderr.
 */
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_RUNS, formatTable, runBenchmarks, toJsonRows, type BenchmarkSpec, type RunOptions } from './harness.ts';
import { USAGE, duplicateNames, filterByPrefix, parseArgs } from './options.ts';
import { progress } from '../tools/cli/progress.ts';
import { importModule } from '../tools/runtime/import-module.ts';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Draw a progress bar on stderr; only worth it on a terminal. */
  progress: boolean;
}

interface Loaded {
  specs: BenchmarkSpec[];
  /** One line per file that failed to import or exports no usable `benchmarks`. */
  errors: string[];
}

function isSpec(x: unknown): x is BenchmarkSpec {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  return typeof s.name === 'string' && typeof s.unit === 'string' && typeof s.measure === 'function';
}

/** Imports the bench files in name order, so the table's order does not depend on the file system. */
export async function loadBenchmarks(dir: string): Promise<Loaded> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts')).sort();
  const loaded: Loaded = { specs: [], errors: [] };
  for (const file of files) {
    let mod: { benchmarks?: unknown };
    try {
      mod = (await importModule(join(dir, file))) as { benchmarks?: unknown };
    } catch (e) {
      // A file someone is still writing must not take the other benchmarks down with it.
      loaded.errors.push(`${file}: cannot load: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    if (!Array.isArray(mod.benchmarks) || !mod.benchmarks.every(isSpec)) {
      loaded.errors.push(`${file}: must export benchmarks: BenchmarkSpec[] (each with name, unit and measure)`);
      continue;
    }
    loaded.specs.push(...mod.benchmarks);
  }
  return loaded;
}

/** One bar over every run of every selected benchmark (the shared helper draws it only on a terminal). */
function progressBar(specs: BenchmarkSpec[], runsOverride: number | null, enabled: boolean): Pick<RunOptions, 'onProgress'> & { stop(): void } {
  const total = specs.reduce((sum, s) => sum + (runsOverride ?? s.runs ?? DEFAULT_RUNS), 0);
  const bar = progress({ total, label: 'runs', enabled });
  let started = 0;
  return {
    // Called as a run starts, so the count moves when the next one starts: it shows runs finished.
    onProgress: (name, run, runs) => bar.tick(started++ === 0 ? 0 : 1, `| ${name} run ${run}/${runs}`),
    stop: () => bar.stop(),
  };
}

export async function main(argv: readonly string[], dir: string, io: Io): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.kind === 'help') {
    io.stdout(USAGE + '\n');
    return 0;
  }
  if (parsed.kind === 'error') {
    io.stderr(`bench: ${parsed.message}\n`);
    return 2;
  }
  const { json, only, runs } = parsed.options;

  const { specs, errors } = await loadBenchmarks(dir);
  for (const e of errors) io.stderr(`bench: ${e}\n`);
  const dups = duplicateNames(specs);
  if (dups.length > 0) {
    io.stderr(`bench: benchmark names must be unique; repeated: ${dups.join(', ')}\n`);
    return 2;
  }
  const selected = filterByPrefix(specs, only);
  if (selected.length === 0 && only.length > 0) {
    const known = specs.length > 0 ? specs.map((s) => s.name).join(', ') : 'none';
    io.stderr(`bench: no benchmark matches --only ${only.join(',')} (known: ${known})\n`);
    return 2;
  }
  if (selected.length === 0) {
    io.stderr(`bench: no benchmarks found (no *.bench.ts in ${dir} exports any)\n`);
    if (json) io.stdout('[]\n');
    return errors.length > 0 ? 1 : 0;
  }

  // The bar goes to stderr, but under --json the reader is a program: no bar then.
  const bar = progressBar(selected, runs, io.progress && !json);
  let results;
  try {
    results = await runBenchmarks(selected, { ...(runs !== null ? { runs } : {}), onProgress: bar.onProgress });
  } finally {
    bar.stop();
  }

  const failed = results.filter((r) => r.error !== undefined);
  if (json) {
    for (const r of failed) io.stderr(`bench: ${r.name} FAILED: ${r.error}\n`);
    io.stdout(JSON.stringify(toJsonRows(results), null, 2) + '\n');
  } else {
    io.stdout(formatTable(results));
  }
  return failed.length > 0 || errors.length > 0 ? 1 : 0;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  const realStdout = process.stdout.write.bind(process.stdout);
  // stdout is the report's alone: anything a benchmark prints is moved to stderr, so `--json` stays parseable.
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  const io: Io = {
    stdout: (text) => void realStdout(text),
    stderr: (text) => void process.stderr.write(text),
    progress: process.stderr.isTTY === true,
  };
  // exitCode rather than exit(), so a large JSON report finishes flushing into a pipe.
  process.exitCode = await main(process.argv.slice(2), dirname(fileURLToPath(import.meta.url)), io);
}
