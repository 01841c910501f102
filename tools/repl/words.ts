/**
 * Splitting a line into words. Whitespace separates words, except inside a JSON value: a
 * bracketed object or array, or a double-quoted string, stays one word, so that
 * `send back {"n": 1, "text": "hi there"}` gives three words and the payload parses as typed.
 */
import { ReplError } from './command.ts';

/** Longer lines are refused rather than scanned: a pasted megabyte is a mistake. */
export const LINE_LENGTH_MAX = 65_536;

export function splitWords(line: string): string[] {
  if (line.length > LINE_LENGTH_MAX) throw new ReplError(`the line is ${line.length} characters long; at most ${LINE_LENGTH_MAX}`);
  const words: string[] = [];
  let word = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (const ch of line) {
    if (inString) {
      word += ch;
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      if (depth === 0) throw new ReplError(`unbalanced '${ch}' in: ${line.trim()}`);
      depth--;
    } else if (depth === 0 && /\s/.test(ch)) {
      if (word.length > 0) words.push(word);
      word = '';
      continue;
    }
    word += ch;
  }
  if (inString) throw new ReplError(`unterminated string in: ${line.trim()}`);
  if (depth > 0) throw new ReplError(`unclosed bracket in: ${line.trim()}`);
  if (word.length > 0) words.push(word);
  return words;
}
