/**
 * One voice: the same condition gets the same words and the same exit code from every command.
 *   - a folder with no capsim store: "no capsim system in DIR", exit 2, from every command that
 *     reads a store (before, boot and ps said so with exit 2, status and verify said
 *     "store: not_found" with exit 1);
 *   - but a database that opens with no records is damage, exit 1: its records are gone;
 *   - commander's own errors (unknown option, unknown command, missing argument): one line that
 *     begins "capsim:", exit 2 (before, "error: ..." and a second line).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { expectOneLineError, runCapsim } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'capsim-voice-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const empty = join(dir, 'empty');

describe('a folder with no store', () => {
  const commands: string[][] = [
    ['boot', '--store', empty],
    ['ps', '--store', empty],
    ['caps', 'p1', '--store', empty],
    ['status', '--store', empty],
    ['verify', '--store', empty],
    ['repair', '--store', empty],
    ['replicate', '--from', empty, '--to', join(dir, 'copy')],
    ['sturdy', 'list', '--store', empty],
    ['sturdy', 'revoke', '1', '--store', empty],
  ];
  for (const args of commands) {
    it(`capsim ${args[0]}: no capsim system in it, exit 2`, async () => {
      expectOneLineError(await runCapsim(args), 2, /^capsim: no capsim system in .*empty: make one with 'capsim run <system> --store /);
    });
  }
});

describe('a folder whose database holds nothing', () => {
  it('is not "no capsim system" but a store that lost its records: exit 1', async () => {
    const { ClassicLevel } = await import('classic-level');
    const path = join(dir, 'emptied');
    const db = new ClassicLevel(path);
    await db.open();
    await db.close();
    const r = await runCapsim(['verify', '--store', path]);
    expectOneLineError(r, 1, /^capsim: store: not_found: the database is empty/);
  });
});

describe("commander's errors speak as capsim does", () => {
  const cases: [string[], RegExp][] = [
    [['ps', '--bogus'], /^capsim: unknown option '--bogus'/],
    [['frob'], /^capsim: unknown command 'frob'/],
    [['run'], /^capsim: missing required argument 'system'/],
    [['run', 'counter', '--cranks'], /^capsim: option '--cranks <n>' argument missing/],
  ];
  for (const [args, pattern] of cases) {
    it(`capsim ${args.join(' ')}`, async () => {
      expectOneLineError(await runCapsim(args), 2, pattern);
    });
  }
});
