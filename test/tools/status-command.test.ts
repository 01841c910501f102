import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../examples/index.ts';
import { System } from '../../restart-agent/index.ts';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'capsim-status-'));
const storePath = join(dir, 'store');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const system = await System.create({ spec: EXAMPLES.counter!, store: { backend: 'classic', path: storePath }, seed: 3 });
  await system.run(20);
  await system.close();
});

describe('capsim status', () => {
  it('reports the system, schema, boots and record counts of a store without booting it', async () => {
    const { stdout } = await run('node', ['bin/capsim.js', 'status', '--store', storePath, '--json'], { cwd: root });
    const status = JSON.parse(stdout) as { system: string; model: string; newestCheckpoint: unknown; schemaVersion: number; bootCount: number; idHighWater: number; records: Record<string, number> };
    expect(status.system).toBe('counter');
    expect(status.model).toBe('explicit');
    expect(status.newestCheckpoint).toBeNull();
    expect(status.schemaVersion).toBe(3);
    expect(status.bootCount).toBe(1);
    expect(status.idHighWater).toBeGreaterThan(1);
    expect(status.records.registrations).toBe(2);
    expect(status.records.storage).toBe(1);
    // Reading status is no boot: asking twice gives the same count.
    const again = JSON.parse((await run('node', ['bin/capsim.js', 'status', '--store', storePath, '--json'], { cwd: root })).stdout) as { bootCount: number };
    expect(again.bootCount).toBe(1);
  });

  it('names the model and the newest checkpoint of a checkpoint-model store', async () => {
    const path = join(dir, 'ckpt');
    const system = await System.create({ spec: EXAMPLES.counter!, store: { backend: 'classic', path }, model: 'checkpoint', checkpointEvery: 4 });
    await system.run(10);
    const seq = system.now;
    await system.close();
    const status = JSON.parse((await run('node', ['bin/capsim.js', 'status', '--store', path, '--json'], { cwd: root })).stdout) as { model: string; newestCheckpoint: { seq: number; crank: number } };
    expect(status.model).toBe('checkpoint');
    expect(status.newestCheckpoint.seq).toBeGreaterThan(1);
    expect(status.newestCheckpoint.crank).toBeLessThanOrEqual(seq);
  });

  it('a folder with no store is a one-line usage error, exit 2', async () => {
    const failure = await run('node', ['bin/capsim.js', 'status', '--store', join(dir, 'missing')], { cwd: root }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr.trim().split('\n')).toHaveLength(1);
    expect(failure?.stderr).toContain('no capsim system in');
  });
});
