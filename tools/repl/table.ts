/** Columns padded to their widest cell: how ps, caps and help line up. */
import { redactTokens } from '../../kernel/index.ts';
import { bold } from '../cli/output.ts';

/** Rows of cells as aligned lines. */
export function columns(rows: readonly (readonly string[])[]): string[] {
  const count = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: count }, (_, i) => Math.max(0, ...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((cells) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
}

/** A header row in bold over aligned rows. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const [head, ...body] = columns([header, ...rows]);
  return [bold(head ?? ''), ...body].join('\n');
}

/** JSON cut to `max` characters, so that one big state does not push the table off the screen. */
export function shortJson(value: unknown, max = 48): string {
  // A sturdy reference in a state or payload is shown without its secret.
  const text = redactTokens(JSON.stringify(value) ?? 'undefined');
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
