/**
 * Terminal output: colour only on a TTY and never with NO_COLOR set (no-color.org), so logs
 * and pipes get plain text.
 */
import { wireJson } from './json-wire.ts';

const useColor = process.stdout.isTTY === true && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';

function paint(code: number): (text: string) => string {
  return (text) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
}

export const bold = paint(1);
export const dim = paint(2);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);
export const cyan = paint(36);

/** Every --json output: one object in the one style of json-wire.ts. */
export function printJson(value: unknown): void {
  process.stdout.write(`${wireJson(value)}\n`);
}

/** Colours the verdict words of a formatted report. */
export function colorVerdicts(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const t = line.trimStart();
      if (t.startsWith('FAIL')) return red(line);
      if (t.startsWith('ok ')) return line.replace('ok ', green('ok '));
      return line;
    })
    .join('\n');
}
