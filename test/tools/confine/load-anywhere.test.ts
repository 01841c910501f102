/**
 * A user's module loads from anywhere on disk, as .ts, .mts, .js or .mjs, with no package.json
 * near it (before, a copy of the tutorial outside the repository failed with "Cannot require()
 * ES Module … in a cycle"), and `capsim/kernel` resolves from the user's own folder. A syntax
 * error names the file, line and column.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runCapsim } from '../../support/cli.ts';

const folder = mkdtempSync(join(tmpdir(), 'capsim-user-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const JS_SYSTEM = `import { KernelError, WRITE } from 'capsim/kernel';
const echo = { init: () => 0, receive: (ctx, n) => (KernelError && WRITE === 2 ? n + 1 : n) };
export const system = {
  name: 'plain-js', description: 'a JavaScript module using values of capsim/kernel',
  programs: { echo }, processes: [{ name: 'echo', program: 'echo' }],
  endpoints: [{ name: 'echo-in', owner: 'echo' }],
  input: (i) => (i < 3 ? { to: 'echo-in', payload: i } : null),
};
`;

describe('loading a module from outside the repository', () => {
  it('runs the tutorial system copied into a folder with no package.json', async () => {
    const file = join(folder, 'my-system.ts');
    copyFileSync('docs/tutorial/my-system.ts', file);
    const r = await runCapsim(['run', file, '--cranks', '30', '--memory']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The voters' ballots and carol's three calls from outside (badge 3), all counted and answered.
    expect(r.stdout).toMatch(/p1 tally \[\] ready {2}\{"1":9,"2":4,"3":3\}/);
    expect(r.stdout).toContain('clients: 3 operation(s): 3 ok');
  });

  it.each(['mts', 'js', 'mjs'])('loads a .%s module that imports values from capsim/kernel', async (ext) => {
    const file = join(folder, `plain.${ext}`);
    writeFileSync(file, JS_SYSTEM);
    const r = await runCapsim(['run', file, '--cranks', '10', '--memory']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/p1 echo \[\] ready {2}3/);
  });

  it('names the file, line and column of a syntax error', async () => {
    const file = join(folder, 'broken.ts');
    writeFileSync(file, "export const system = {\n  name: 'broken',\n  programs: { a: { init() { return 1 } receive() {} } },\n};\n");
    expectOneLineError(await runCapsim(['run', file, '--memory']), 1, /broken\.ts:3:\d+: Expected "}" but found "receive"/);
  });

  it('refuses a Node built-in, naming the import', async () => {
    const file = join(folder, 'uses-fs.ts');
    writeFileSync(file, "import { readFileSync } from 'node:fs';\nexport const system = { read: readFileSync };\n");
    expectOneLineError(await runCapsim(['run', file, '--memory']), 1, /uses-fs\.ts:1:\d+: imports 'node:fs', a Node module/);
  });
});
