/**
 * Every numeric flag's range, in one table, so that each command reads a flag the same way
 * and `--help` and the README can say what is accepted. A value is decimal digits only: '',
 * '0x10', '1e12', '1.5' and '-1' are refused with one line naming the flag and its range.
 */
import { UsageError } from './errors.ts';

/** [least, most], both accepted. */
export type Range = readonly [number, number];

export const FLAG_RANGES = {
  '--cranks': [1, 10_000_000],
  '--seed': [0, 2 ** 32 - 1],
  '--keep-batches': [0, 1000],
  '--sync-every': [1, 1000],
  '--power-loss-at': [1, 10_000_000],
  '--checkpoint-every': [1, 10_000_000],
  '--runs': [1, 1_000_000],
  '--max-steps': [1, 10],
  '--max-cranks': [1, 10_000],
  '--ops': [1, 6],
  '--workers': [1, 256],
  '--run-max': [1, 10_000_000],
} as const satisfies Record<string, Range>;

export type NumericFlag = keyof typeof FLAG_RANGES;

/** The flag's value as a whole number within its range (or the range given). */
export function parseFlag(text: string, flag: NumericFlag, range: Range = FLAG_RANGES[flag]): number {
  const [least, most] = range;
  const n = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < least || n > most) throw new UsageError(`${flag} must be a whole number in ${least}..${most}, got '${text}'`);
  return n;
}

/** How the range reads in help text: ' (1..1000)'. */
export function rangeText(flag: NumericFlag): string {
  const [least, most] = FLAG_RANGES[flag];
  return ` (${least}..${most.toLocaleString('en-US')})`;
}
