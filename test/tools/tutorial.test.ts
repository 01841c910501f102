/**
 * The README's tutorial, run as written: every command in its `sh` blocks runs as a real child
 * process (in order: later ones use the store earlier ones made), every output line it shows
 * (but '…') must be in what the command printed, and the REPL transcript is piped to
 * `capsim repl` and checked the same way. So the tutorial cannot drift from what capsim does.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSpec } from '../../kernel/index.ts';
import { system as tutorialSystem } from '../../docs/tutorial/my-system.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const STORE_IN_TUTORIAL = '.capsim/my-store';
const EXPORT_IN_TUTORIAL = '.capsim/my-view';

interface Block {
  lang: string;
  lines: string[];
}

interface Run {
  code: number | null;
  output: string;
}

/** The README's '## Tutorial' section as its fenced code blocks, in order. */
function tutorialBlocks(): { text: string; blocks: Block[] } {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Tutorial\n');
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  const text = readme.slice(start, end < 0 ? undefined : end);
  const blocks: Block[] = [];
  const fence = /```(\w*)\n([\s\S]*?)```/g;
  for (let m = fence.exec(text); m !== null; m = fence.exec(text)) blocks.push({ lang: m[1] ?? '', lines: (m[2] ?? '').split('\n').filter((l) => l.length > 0) });
  return { text, blocks };
}

/** Runs `npx capsim ...` as `node bin/capsim.js ...`, stdout and stderr together, stdin from `input`. */
function capsim(args: string[], input = ''): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn('node', ['bin/capsim.js', ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
    child.stdin.end(input);
  });
}

/** Every line the tutorial shows, but the elisions, is a line of the real output. */
function expectShown(shown: readonly string[], actual: string): void {
  const lines = new Set(actual.split('\n').map((l) => l.trimEnd()));
  for (const line of shown) if (!line.trim().startsWith('…')) expect(lines, `the tutorial shows: ${line}`).toContain(line.trimEnd());
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capsim-tutorial-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the README tutorial', () => {
  it("has a system module that passes the kernel's checks", () => {
    expect(() => checkSpec(tutorialSystem)).not.toThrow();
    expect(tutorialSystem.name).toBe('my-system');
  });

  it('shows the module exactly as docs/tutorial/my-system.ts has it, but for the header comment', () => {
    const { blocks } = tutorialBlocks();
    const shown = blocks.find((b) => b.lang === 'ts');
    const file = readFileSync(join(repo, 'docs/tutorial/my-system.ts'), 'utf8').split('\n').filter((l) => l.length > 0);
    expect(shown?.lines).toEqual(file.slice(file.indexOf("import type { Program, SystemSpec } from 'capsim/kernel';")));
  });

  it('npm start (capsim demo) runs the whole cycle and every invariant holds', async () => {
    const r = await capsim(['demo', '--store', join(dir, 'demo'), '--fresh']);
    expect(r.code).toBe(0);
    expect(r.output).toContain('4. restart');
    expect(r.output).toMatch(/ok\s+I1 durability/);
    expect(r.output).toContain('5. verify');
  });

  it('runs every sh command in order and prints every line shown after it', async () => {
    const { blocks } = tutorialBlocks();
    let last: Run | null = null;
    let ran = 0;
    for (const block of blocks) {
      if (block.lang === 'sh') {
        for (const line of block.lines) {
          const words = line.split(/\s+/);
          expect(words.slice(0, 2)).toEqual(['npx', 'capsim']);
          last = await capsim(words.slice(2).map((w) => (w === STORE_IN_TUTORIAL ? join(dir, 'my-store') : w === EXPORT_IN_TUTORIAL ? join(dir, 'my-view') : w)));
          expect(last.code, `${line}\n${last.output}`).toBe(0);
          ran++;
        }
      } else if (block.lang === '' && !block.lines.some((l) => l.startsWith('capsim> ')) && last !== null) {
        expectShown(block.lines, last.output);
      }
    }
    expect(ran).toBeGreaterThanOrEqual(7);
    // The viewer's step wrote a static copy that opens from file:// (browser.test.ts opens one).
    expect(existsSync(join(dir, 'my-view', 'index.html'))).toBe(true);
    expect(existsSync(join(dir, 'my-view', 'data.js'))).toBe(true);
  });

  it('the REPL transcript, piped to capsim repl, prints every line it shows', async () => {
    const { blocks, text } = tutorialBlocks();
    const transcript = blocks.find((b) => b.lines.some((l) => l.startsWith('capsim> ')));
    expect(transcript).toBeDefined();
    const typed = (transcript as Block).lines.filter((l) => l.startsWith('capsim> ')).map((l) => l.slice('capsim> '.length));
    expect(text).toContain('npx capsim repl docs/tutorial/my-system.ts');
    const r = await capsim(['repl', 'docs/tutorial/my-system.ts'], `${typed.join('\n')}\n`);
    expect(r.code, r.output).toBe(0);
    expectShown((transcript as Block).lines, r.output);
  });

  it('the piped script it mentions works', async () => {
    const { text } = tutorialBlocks();
    const script = "printf 'ps\\nstep 3\\ncrash\\nrestart\\nps\\n' | npx capsim repl ping-pong";
    expect(text).toContain(script);
    const r = await capsim(['repl', 'ping-pong'], 'ps\nstep 3\ncrash\nrestart\nps\n');
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/ok\s+I3 fidelity/);
  });
});
