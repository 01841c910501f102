/**
 * The tutorial's tally makes a promise to carol, its client outside the machine: a restart
 * keeps every vote she was told was counted. `capsim check` holds it to that: with the line
 * that saves the counts deleted, it reports the broken promise (the durable checker), shrunk,
 * with the history that shows it; as written, it passes.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repo, runCapsim } from '../support/cli.ts';

const TUTORIAL = 'docs/tutorial/my-system.ts';
// A copy beside the original, so that it resolves 'capsim/kernel' the same way.
const COPY = `docs/tutorial/.no-save-${process.pid}.ts`;

afterAll(() => rmSync(join(repo, COPY), { force: true }));

describe("the tutorial's promise to its client", () => {
  it('capsim check catches the tally without its save line', async () => {
    const source = readFileSync(join(repo, TUTORIAL), 'utf8').split('\n');
    const kept = source.filter((line) => !/^\s*ctx\.write\(/.test(line));
    expect(source.length - kept.length).toBe(1);
    writeFileSync(join(repo, COPY), kept.join('\n'));
    const r = await runCapsim(['check', COPY, '--runs', '100', '--seed', '7']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/! durable: .*carol #\d+ vote → ok \d+/);
    expect(r.stdout).toMatch(/the smallest history that shows it/);
    expect(r.stdout).toMatch(/replay: npx capsim check .* --seed 7 --path /);
  }, 240_000);

  it('capsim check passes the tutorial as written', async () => {
    const r = await runCapsim(['check', TUTORIAL, '--runs', '60', '--seed', '7']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/durable\s+\d+/);
  }, 240_000);
});
