/**
 * The one style of every `--json` output (docs/json/ holds a JSON Schema per command, checked by
 * test/docs/json-schemas.test.ts):
 *   - keys are camelCase;
 *   - what is named by a display string is a list of objects with a `name`, never an object
 *     keyed by that string: `invariants` (verdicts, or how many verdicts each got) and
 *     `notChecked`, `undecided`;
 *   - a verdict is `ok`, `violated` or `not_checked`, its words in `detail`;
 *   - a time (`created`) is an ISO 8601 string.
 * Commands build their results as they like; printJson passes them through `toWire` here.
 */

export interface VerdictEntry {
  name: string;
  verdict: 'ok' | 'violated' | 'not_checked';
  /** Why, for a verdict other than ok. */
  detail: string | null;
}

const NOT_CHECKED = 'not checked';

/** A verdict string as the reports write it ('ok', 'not checked: why', or what was violated). */
export function verdictEntry(name: string, text: string): VerdictEntry {
  if (text === 'ok') return { name, verdict: 'ok', detail: null };
  if (text.startsWith(NOT_CHECKED)) return { name, verdict: 'not_checked', detail: text.slice(NOT_CHECKED.length).replace(/^:\s*/, '') || null };
  return { name, verdict: 'violated', detail: text };
}

function isRecordOf(value: unknown, type: 'string' | 'number'): value is Record<string, string | number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === type);
}

/** JSON.stringify's replacer: applies the conventions above wherever the keys occur. */
export function toWire(this: unknown, key: string, value: unknown): unknown {
  if (key === 'invariants' && isRecordOf(value, 'string')) return Object.entries(value).map(([name, text]) => verdictEntry(name, text as string));
  if (key === 'invariants' && isRecordOf(value, 'number')) return Object.entries(value).map(([name, verdicts]) => ({ name, verdicts }));
  if (key === 'notChecked' && isRecordOf(value, 'string')) return Object.entries(value).map(([name, why]) => ({ name, why }));
  if (key === 'undecided' && isRecordOf(value, 'number')) return Object.entries(value).map(([name, times]) => ({ name, times }));
  if (key === 'created' && typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  return value;
}

/** A value as every --json output prints it. */
export function wireJson(value: unknown): string {
  return JSON.stringify(value, toWire, 2);
}
