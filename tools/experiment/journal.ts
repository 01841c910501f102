/**
 * The journal: `rows.jsonl` in the output folder, one row per line, appended and synced as
 * each trial finishes. A run stopped by Ctrl-C or SIGKILL loses only the trials in flight; a
 * torn last line (the kill landed mid-write) is ignored on reading. The first line is a header
 * naming the experiment and a fingerprint of its trial list, so `--resume` and `merge` refuse
 * rows of another experiment or of a changed definition.
 */
import { closeSync, fsyncSync, openSync, truncateSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { ExperimentDefinition } from './definition.ts';
import type { Row } from './rows.ts';
import type { Trial } from './trials.ts';

export const JOURNAL_FILE = 'rows.jsonl';
const FORMAT = 'capsim-experiment-rows/1';

export interface JournalHeader {
  format: typeof FORMAT;
  experiment: string;
  /** sha256 of every trial's id, system and parameters: equal for equal definitions. */
  fingerprint: string;
  trials: number;
}

export function headerOf(def: ExperimentDefinition, trials: readonly Trial[]): JournalHeader {
  const hash = createHash('sha256');
  for (const t of trials) hash.update(`${t.id}\t${t.cell.system}\t${JSON.stringify(t.cell.params)}\n`);
  return { format: FORMAT, experiment: def.name, fingerprint: hash.digest('hex').slice(0, 32), trials: trials.length };
}

export class JournalError extends Error {}

/**
 * Reads a journal: its header and every whole row. `wholeBytes` is the length up to the last
 * newline: what follows it is a torn write, which a resumed run cuts off before appending.
 */
export async function readJournal(path: string): Promise<{ header: JournalHeader; rows: Row[]; wholeBytes: number }> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch {
    throw new JournalError(`${path}: no results journal there`);
  }
  const wholeBytes = buffer.lastIndexOf(0x0a) + 1;
  const lines = buffer.subarray(0, wholeBytes).toString('utf8').split('\n');
  const first = parseLine(lines[0] ?? '');
  if (first === null || (first as JournalHeader).format !== FORMAT) throw new JournalError(`${path}: not a capsim experiment journal`);
  const rows: Row[] = [];
  for (const [i, line] of lines.slice(1).entries()) {
    if (line === '') continue;
    const row = parseLine(line);
    if (row === null || typeof (row as Row).trial !== 'string') throw new JournalError(`${path}: line ${i + 2} is not a row`);
    rows.push(row as Row);
  }
  return { header: first as JournalHeader, rows, wholeBytes };
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return null;
  }
}

/** An append-only journal; each row is synced before `append` returns. */
export class JournalWriter {
  private readonly fd: number;

  private constructor(fd: number) {
    this.fd = fd;
  }

  /** Starts a new journal (truncating), or with `resumeAt` appends after that many whole bytes. */
  static open(path: string, header: JournalHeader, resumeAt: number | null): JournalWriter {
    if (resumeAt !== null) truncateSync(path, resumeAt);
    const fd = openSync(path, resumeAt !== null ? 'a' : 'w');
    const writer = new JournalWriter(fd);
    if (resumeAt === null) writer.line(header);
    return writer;
  }

  append(row: Row): void {
    this.line(row);
  }

  private line(value: unknown): void {
    writeSync(this.fd, `${JSON.stringify(value)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}
