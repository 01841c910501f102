/**
 * The ahead-of-time build (bin/build.js, bin/compiled.js): npm runs it on install, git ignores
 * it, and capsim uses it only while it is whole and newer than every source it was made from —
 * a source edited since, or gone, or a build without its manifest sends capsim back to the
 * source. The freshness rule is checked on a made-up project folder, so the real build is
 * never touched.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compiledEntries, compiledEntry, ENTRIES } from '../../bin/compiled.js';
import { repo } from '../support/cli.ts';

const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string>; exports: Record<string, string> };

describe('npm and git', () => {
  it('the prepare script builds (npm runs it on npm install and npm ci in the project root)', () => {
    expect(pkg.scripts.prepare).toBe('node bin/build.js');
  });

  it('every package export is an entry of the build, so a compiled capsim hands a user\'s capsim/... import its own compiled code', () => {
    const sources = Object.values(pkg.exports).map((target) => target.replace(/^\.\//, ''));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(Object.keys(ENTRIES), source).toContain(source);
  });

  it('git ignores build/', () => {
    expect(execFileSync('git', ['check-ignore', 'build/capsim.js'], { cwd: repo, encoding: 'utf8' }).trim()).toBe('build/capsim.js');
  });
});

describe('a build is used only while it is fresh', () => {
  let root: string;
  const BUILT_AT = Date.parse('2026-01-01T00:00:00Z');
  const at = (ms: number): Date => new Date(ms);

  /** A project folder with two sources and a build made from them, both sources older than the build. */
  beforeEach(() => {
    root = `${mkdtempSync(join(tmpdir(), 'capsim-build-'))}/`;
    mkdirSync(join(root, 'tools'), { recursive: true });
    mkdirSync(join(root, 'build'), { recursive: true });
    for (const source of ['tools/main.ts', 'tools/helper.ts']) {
      writeFileSync(join(root, source), '');
      utimesSync(join(root, source), at(BUILT_AT - 60_000), at(BUILT_AT - 60_000));
    }
    writeFileSync(join(root, 'build/main.js'), '');
    writeFileSync(join(root, 'build/manifest.json'), JSON.stringify({ startedMs: BUILT_AT, entries: { 'tools/main.ts': 'main.js' }, inputs: ['tools/main.ts', 'tools/helper.ts'] }));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('whole and newer than every source: its entry point', () => {
    expect(compiledEntry('tools/main.ts', root)).toBe(`file://${root}build/main.js`);
    expect(compiledEntry('tools/other.ts', root)).toBeNull();
    expect(compiledEntries(['tools/main.ts', 'tools/other.ts'], root)).toEqual(new Map([['tools/main.ts', `file://${root}build/main.js`]]));
  });

  it('a source changed after the build started: the source', () => {
    utimesSync(join(root, 'tools/helper.ts'), at(BUILT_AT + 1000), at(BUILT_AT + 1000));
    expect(compiledEntry('tools/main.ts', root)).toBeNull();
    expect(compiledEntries(['tools/main.ts'], root).size).toBe(0);
  });

  it('a source gone: the source', () => {
    rmSync(join(root, 'tools/helper.ts'));
    expect(compiledEntry('tools/main.ts', root)).toBeNull();
  });

  it('no manifest (a build that failed or is being written), or a damaged one: the source', () => {
    writeFileSync(join(root, 'build/manifest.json'), '{"startedMs": ');
    expect(compiledEntry('tools/main.ts', root)).toBeNull();
    rmSync(join(root, 'build/manifest.json'));
    expect(compiledEntry('tools/main.ts', root)).toBeNull();
  });
});
