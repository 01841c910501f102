import { describe, expect, it } from 'vitest';
import { CONSOLE_PROGRAM } from '../../tools/repl/console.ts';
import { EXAMPLES } from '../../examples/index.ts';
import { CommandFailed, describeFailure, EXIT_FAILURE, EXIT_USAGE, UsageError } from '../../tools/cli/errors.ts';
import { loadSystem, looksLikePath } from '../../tools/cli/load-system.ts';

const fixture = (name: string) => `test/tools/fixtures/${name}`;

/** The error loadSystem throws for `ref`, checked to be one line. */
async function loadError(ref: string): Promise<Error> {
  const err = await loadSystem(ref).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  const error = err as Error;
  expect(error.message).not.toContain('\n');
  return error;
}

describe('loadSystem', () => {
  it('gives a built-in example by name, confined, with the REPL console beside its programs', async () => {
    const spec = await loadSystem('counter');
    expect(spec.name).toBe(EXAMPLES.counter!.name);
    expect(spec.processes).toEqual(EXAMPLES.counter!.processes);
    // The example's programs are the confinement's wrappers, not the objects its module defines.
    expect(spec.programs.counter).not.toBe(EXAMPLES.counter!.programs.counter);
    expect(Object.keys(spec.programs).sort()).toEqual([...Object.keys(EXAMPLES.counter!.programs), CONSOLE_PROGRAM].sort());
  });

  it('loads every example by its name, as the CLI lists them (kv was listed and not loadable)', async () => {
    for (const name of Object.keys(EXAMPLES)) expect((await loadSystem(name)).name, name).toBe(EXAMPLES[name]!.name);
  });

  it("loads a user's module and returns the system it exports", async () => {
    const spec = await loadSystem(fixture('watch-system.ts'));
    expect(spec.name).toBe('watch');
    expect(spec.processes.map((p) => p.program)).toEqual(['service', 'client']);
  });

  it('tells paths from example names', () => {
    expect(looksLikePath('counter')).toBe(false);
    expect(looksLikePath('my-system.ts')).toBe(true);
    expect(looksLikePath('./x')).toBe(true);
  });

  it('an unknown name is a usage error that lists the examples', async () => {
    const err = await loadError('no-such-example');
    expect(err).toBeInstanceOf(UsageError);
    expect(describeFailure(err).exitCode).toBe(EXIT_USAGE);
    expect(err.message).toContain("'no-such-example'");
    for (const name of Object.keys(EXAMPLES)) expect(err.message).toContain(name);
  });

  it('a missing file is a usage error naming the file', async () => {
    const err = await loadError('test/tools/fixtures/not-there.ts');
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toMatch(/^test\/tools\/fixtures\/not-there\.ts: no such file/);
  });

  it("a module without `system` names the file and what it does export", async () => {
    const err = await loadError(fixture('no-system.ts'));
    expect(err).toBeInstanceOf(CommandFailed);
    expect(describeFailure(err).exitCode).toBe(EXIT_FAILURE);
    expect(err.message).toContain('no-system.ts');
    expect(err.message).toContain("exports no 'system'");
    expect(err.message).toContain('sistem');
  });

  it("a malformed spec names the file and checkSpec's problem", async () => {
    const err = await loadError(fixture('malformed-system.ts'));
    expect(err).toBeInstanceOf(CommandFailed);
    expect(err.message).toContain('malformed-system.ts');
    expect(err.message).toContain("process 'ghost' runs program 'missing-program'");
  });

  it('a module that throws while loading names the file and the error', async () => {
    const err = await loadError(fixture('throws-system.ts'));
    expect(err).toBeInstanceOf(CommandFailed);
    expect(err.message).toContain('throws-system.ts: the module threw Error: boom while loading');
  });

  it('a folder is not a module', async () => {
    const err = await loadError('test/tools/fixtures/');
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toContain('not a file');
  });
});
