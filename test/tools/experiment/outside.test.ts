/**
 * An experiment file in a user's own folder — no package.json, no node_modules, TypeScript —
 * imports `capsim/experiment` and `capsim/kernel` and runs, on one worker and on two. Before,
 * Node's loader refused it ("Cannot require() ES Module … in a cycle") and could not resolve
 * `capsim/...` from there. A syntax error is one line with the file, line and column.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../../tools/experiment/journal.ts';
import { expectOneLineError, runCapsim } from '../../support/cli.ts';

const EXPERIMENT = `
import type { ExperimentDefinition } from 'capsim/experiment';
import { READ, type Program, type SystemSpec } from 'capsim/kernel';

const counter: Program<number> = { init: () => 0, receive: (_ctx, n) => n + READ };
const mine: SystemSpec = {
  name: 'mine',
  description: 'one process counting ticks',
  programs: { counter },
  processes: [{ name: 'c', program: 'counter' }],
  endpoints: [{ name: 'in', owner: 'c' }],
  input: (i) => (i < 100 ? { to: 'in', payload: i } : null),
};

export const experiment: ExperimentDefinition = {
  name: 'outside',
  description: 'an experiment file in a folder of its own',
  systems: [{ name: 'mine', build: () => mine, params: [] }, 'counter'],
  grid: { cranks: [40] },
  seeds: 2,
  metrics: ['cranksRun'],
};
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capsim-outside-'));
  await writeFile(join(dir, 'exp.ts'), EXPERIMENT);
  await writeFile(join(dir, 'broken.ts'), 'export const experiment = {\n  name: "x",,\n};\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('an experiment file outside the repository', () => {
  for (const workers of ['1', '2']) {
    it(`runs on ${workers} worker(s), capsim/experiment and capsim/kernel resolved`, async () => {
      const out = join(dir, `out-${workers}`);
      const r = await runCapsim(['experiment', 'run', join(dir, 'exp.ts'), '--out', out, '--workers', workers]);
      expect(r.code, r.stderr).toBe(0);
      const rows = (await readJournal(join(out, 'rows.jsonl'))).rows;
      expect(rows.map((row) => row.system).sort()).toEqual(['counter', 'counter', 'mine', 'mine']);
      for (const row of rows) expect(row.metrics.cranksRun).toBe(40);
    });
  }

  it('a syntax error is one line: file, line, column, message', async () => {
    expectOneLineError(await runCapsim(['experiment', 'run', join(dir, 'broken.ts')]), 2, /broken\.ts:2:\d+: /);
  });
});
