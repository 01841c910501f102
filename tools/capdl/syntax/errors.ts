/**
 * A mistake in a capDL text: where it is (file, line, column, all from 1) and what is wrong.
 * Syntax and meaning errors alike carry a position, so the user sees one line that points at
 * the spot, as a compiler would.
 */
export interface SourcePosition {
  line: number;
  column: number;
}

export class CapdlError extends Error {
  constructor(
    readonly file: string,
    readonly position: SourcePosition,
    readonly problem: string,
  ) {
    super(`${file}:${position.line}:${position.column}: ${problem}`);
    this.name = 'CapdlError';
  }
}
