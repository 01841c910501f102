/**
 * README's "What you see" block is what `npm start -- --seed 42 --fresh` prints: the demo is run
 * here as a real process on a fresh classic-level store and compared line by line (less the
 * store path and hint lines the README leaves out), so the README never shows output a fresh
 * run does not give.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'capsim-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fenced block under the README's "What you see" heading. */
function readmeBlock(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## What you see'));
  const start = section.indexOf('```\n') + 4;
  return section.slice(start, section.indexOf('```\n', start)).trimEnd().split('\n');
}

describe("README's What you see", () => {
  it('is what the demo prints for seed 42 on a fresh store', async () => {
    const { stdout } = await run('node', ['bin/capsim.js', 'demo', '--seed', '42', '--fresh', '--store', join(dir, 'store')], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    const printed = stdout
      .trimEnd()
      .split('\n')
      .filter((line) => !line.startsWith('seed ') && !line.startsWith('done.'));
    while (printed.at(-1) === '') printed.pop();
    expect(printed).toEqual(readmeBlock());
  });
});
