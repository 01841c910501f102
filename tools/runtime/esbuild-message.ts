/** esbuild's first error as the one line a user sees: "file:line:column: message", the file relative to here when it lies below. */
import { relative, resolve } from 'node:path';
import type { Message } from 'esbuild';

export function describeEsbuildError(m: Message, entry: string): string {
  const loc = m.location;
  if (loc === null) return `${entry}: ${m.text}`;
  const where = resolve(loc.file);
  const shown = relative(process.cwd(), where).startsWith('..') ? where : relative(process.cwd(), where);
  return `${shown}:${loc.line}:${loc.column + 1}: ${m.text}`;
}
