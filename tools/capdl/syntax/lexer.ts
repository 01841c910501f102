/**
 * capDL's tokens, as capDL-tool's Parsec token parser reads them: identifiers start with a
 * letter and go on with letters, digits and `_ @ . -`; numbers are decimal (leading zeros
 * allowed), `0x` hexadecimal or `0o` octal; `--` comments run to the end of the line and
 * `/* *\/` comments nest. A `-- capsim:` comment is kept aside: it is where an exported
 * capsim system says what capDL has no word for.
 */
import { CapdlError, type SourcePosition } from './errors.ts';

export type Token =
  | { kind: 'ident'; text: string; pos: SourcePosition }
  | { kind: 'number'; value: number; text: string; pos: SourcePosition }
  | { kind: 'symbol'; text: string; pos: SourcePosition }
  /** A double-quoted word; only a frame's fill parameter takes one (a file name). */
  | { kind: 'string'; text: string; pos: SourcePosition }
  | { kind: 'end'; text: ''; pos: SourcePosition };

/** A `-- capsim: ...` line: its text after the marker, and where it is. */
export interface CapsimNote {
  text: string;
  pos: SourcePosition;
}

export interface Lexed {
  tokens: Token[];
  notes: CapsimNote[];
}

const SYMBOLS = ['..', '{', '}', '(', ')', '[', ']', ',', ';', ':', '=', '/', '<', '>', '.', '-'];
const NOTE_MARKER = 'capsim:';
/** A bound on nesting, so that a hostile file cannot make the lexer recurse without end. */
const COMMENT_DEPTH_MAX = 1000;

const isLetter = (c: string): boolean => /[A-Za-z]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isIdentLetter = (c: string): boolean => /[A-Za-z0-9_@.\-]/.test(c);

export function lex(text: string, file: string): Lexed {
  const tokens: Token[] = [];
  const notes: CapsimNote[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const here = (): SourcePosition => ({ line, column: i - lineStart + 1 });
  const fail = (pos: SourcePosition, problem: string): never => {
    throw new CapdlError(file, pos, problem);
  };
  const advance = (): void => {
    if (text[i] === '\n') {
      line += 1;
      lineStart = i + 1;
    }
    i += 1;
  };

  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f') {
      advance();
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      const pos = here();
      let end = text.indexOf('\n', i);
      if (end < 0) end = text.length;
      const body = text.slice(i + 2, end).trim();
      if (body.startsWith(NOTE_MARKER)) notes.push({ text: body.slice(NOTE_MARKER.length).trim(), pos });
      i = end;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const pos = here();
      let depth = 0;
      while (i < text.length) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth += 1;
          if (depth > COMMENT_DEPTH_MAX) fail(pos, `comments nested deeper than ${COMMENT_DEPTH_MAX}`);
          advance();
          advance();
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth -= 1;
          advance();
          advance();
          if (depth === 0) break;
        } else advance();
      }
      if (depth !== 0) fail(pos, "this comment never ends: '/*' without its '*/'");
      continue;
    }
    const pos = here();
    if (isLetter(c)) {
      const start = i;
      while (i < text.length && isIdentLetter(text[i] as string)) i += 1;
      tokens.push({ kind: 'ident', text: text.slice(start, i), pos });
      continue;
    }
    if (isDigit(c)) {
      const start = i;
      let value: number;
      if (c === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
        i += 2;
        const digits = i;
        while (i < text.length && /[0-9A-Fa-f]/.test(text[i] as string)) i += 1;
        if (i === digits) fail(pos, `'${text.slice(start, i)}' is no number: hexadecimal digits must follow 0x`);
        value = parseInt(text.slice(digits, i), 16);
      } else if (c === '0' && (text[i + 1] === 'o' || text[i + 1] === 'O')) {
        i += 2;
        const digits = i;
        while (i < text.length && /[0-7]/.test(text[i] as string)) i += 1;
        if (i === digits) fail(pos, `'${text.slice(start, i)}' is no number: octal digits must follow 0o`);
        value = parseInt(text.slice(digits, i), 8);
      } else {
        while (i < text.length && isDigit(text[i] as string)) i += 1;
        value = parseInt(text.slice(start, i), 10);
      }
      if (!Number.isSafeInteger(value)) fail(pos, `the number ${text.slice(start, i)} is too large (at most ${Number.MAX_SAFE_INTEGER})`);
      tokens.push({ kind: 'number', value, text: text.slice(start, i), pos });
      continue;
    }
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      const newline = text.indexOf('\n', i + 1);
      if (end < 0 || (newline >= 0 && newline < end)) fail(pos, 'this string never ends: \'"\' without its closing \'"\' on the same line');
      tokens.push({ kind: 'string', text: text.slice(i, end + 1), pos });
      i = end + 1;
      continue;
    }
    const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
    if (symbol === undefined) fail(pos, `unexpected character '${c}'`);
    i += (symbol as string).length;
    tokens.push({ kind: 'symbol', text: symbol as string, pos });
  }
  tokens.push({ kind: 'end', text: '', pos: here() });
  return { tokens, notes };
}
