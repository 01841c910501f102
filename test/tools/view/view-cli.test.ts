/**
 * `capsim view` as a user runs it: a real child process that prints its URL (127.0.0.1, a
 * token), answers it, and stops cleanly on Ctrl-C (SIGINT); `--export` writes a static copy;
 * mistakes are one line with the documented exit code.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, repo, runCapsim } from '../../support/cli.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capsim-view-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.concurrent('capsim view (CLI)', () => {
  it('prints a 127.0.0.1 URL with a token, serves it, and stops with exit 0 on Ctrl-C', async () => {
    const child = spawn('node', ['bin/capsim.js', 'view', 'bank', '--cranks', '40'], { cwd: repo, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((done, fail) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /(http:\/\/\S+)/.exec(stdout);
        if (m) done(m[1] as string);
      });
      child.on('exit', () => fail(new Error(`exited before printing a URL: ${stdout}${stderr}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect(stdout).toContain('Ctrl-C');
    const timeline = (await (await fetch(url.replace('/?', '/api/timeline?'))).json()) as { system: string; last: number };
    expect(timeline).toMatchObject({ system: 'bank', last: 40 });
    expect((await fetch(url.replace(/\?token=.*/, 'api/timeline'))).status).toBe(403);
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });

  it('--export writes a static copy of the run; a folder that is not empty is refused', async () => {
    const out = join(dir, 'export');
    const r = await runCapsim(['view', 'ping-pong', '--cranks', '25', '--pulls', '10:1', '--export', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/26 position\(s\) of 'ping-pong' exported to .*: open .*index\.html/);
    for (const file of ['index.html', 'data.js', 'assets/view.js', 'assets/spacetime.js', 'assets/view.css', 'assets/cytoscape.min.js']) expect(existsSync(join(out, file)), file).toBe(true);
    const full = join(dir, 'full');
    await rm(full, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(full));
    await writeFile(join(full, 'keep.txt'), 'mine');
    expectOneLineError(await runCapsim(['view', 'bank', '--cranks', '5', '--export', full]), 1, /is not empty: export into a new or empty folder/);
  });

  it('mistakes are one line: an unknown system, bad pulls, a missing store', async () => {
    const [unknown, pulls, store] = await Promise.all([
      runCapsim(['view', 'no-such-system', '--export', join(dir, 'x')]),
      runCapsim(['view', 'bank', '--pulls', '5:0,3:0']),
      runCapsim(['view', '--store', join(dir, 'nothing-here')]),
    ]);
    expectOneLineError(unknown, 2, /no example system 'no-such-system'/);
    expectOneLineError(pulls, 2, /--pulls must read like/);
    expectOneLineError(store, 2, /no capsim system in/);
  });
});
