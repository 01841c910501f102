/**
 * What `npm run bench` was asked to do: its flags, parsed into a typed value with no I/O, and
 * the selection of benchmarks they imply. Kept apart from main.ts so both are testable.
 */
import { MAX_RUNS } from './harness.ts';

export interface BenchOptions {
  json: boolean;
  /** Name prefixes; empty means every benchmark. */
  only: string[];
  /** Overrides every benchmark's own run count; null keeps them. */
  runs: number | null;
}

export type ParsedArgs =
  | { kind: 'run'; options: BenchOptions }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

export const USAGE = `usage: npm run bench -- [--json] [--only PREFIX[,PREFIX...]]... [--runs N]
  --json         print a JSON array of {name, value, unit, baseline, ratio} on stdout, nothing else
  --only PREFIX  run only benchmarks whose name starts with PREFIX; repeat or comma-separate for more
  --runs N       run every benchmark N times (1..${MAX_RUNS}) instead of its own count`;

/** Accepts `--flag value` and `--flag=value`; anything else unrecognised is an error, never ignored. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const options: BenchOptions = { json: false, only: [], runs: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? null : arg.slice(eq + 1);
    const takeValue = (): string | null => {
      if (inline !== null) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) return null;
      i++;
      return next;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return { kind: 'help' };
      case '--json':
        if (inline !== null) return { kind: 'error', message: '--json takes no value' };
        options.json = true;
        break;
      case '--only': {
        const value = takeValue();
        const prefixes = (value ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
        if (prefixes.length === 0) return { kind: 'error', message: '--only needs a benchmark name prefix, e.g. --only ipc.' };
        options.only.push(...prefixes);
        break;
      }
      case '--runs': {
        const value = takeValue();
        const runs = value !== null && /^\d+$/.test(value) ? Number(value) : Number.NaN;
        if (!(runs >= 1 && runs <= MAX_RUNS)) {
          return { kind: 'error', message: `--runs needs a whole number from 1 to ${MAX_RUNS}, got ${value ?? 'nothing'}` };
        }
        options.runs = runs;
        break;
      }
      default:
        return { kind: 'error', message: `unknown argument ${JSON.stringify(arg)} (try --help)` };
    }
  }
  return { kind: 'run', options };
}

/** Keeps the benchmarks whose name starts with any of the prefixes, in their original order. */
export function filterByPrefix<T extends { name: string }>(specs: readonly T[], only: readonly string[]): T[] {
  if (only.length === 0) return [...specs];
  return specs.filter((s) => only.some((prefix) => s.name.startsWith(prefix)));
}

/** Names used by more than one benchmark: `--only` and the JSON output key on the name, so each must be unique. */
export function duplicateNames(specs: readonly { name: string }[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const { name } of specs) (seen.has(name) ? dups : seen).add(name);
  return [...dups];
}
