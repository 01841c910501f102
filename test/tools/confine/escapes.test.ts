/**
 * Each way a program could once step outside its process, loaded as a user's module is (through
 * the CLI's loader) and run in a System: the escape is closed, and what the program did is a
 * readable fault of that process, never a crash of capsim.
 */
import { describe, expect, it } from 'vitest';
import type { ObjectId, SystemSpec } from '../../../kernel/index.ts';
import { loadSystemModule } from '../../../tools/cli/load-system.ts';
import { fresh, idOf, proc } from '../../examples/support.ts';

const fixture = (name: string): string => `test/tools/confine/fixtures/${name}.ts`;

async function runFixture(name: string, opts: { seed?: number; cranks?: number } = {}) {
  const spec: SystemSpec = await loadSystemModule(fixture(name));
  const { system } = await fresh(spec, { seed: opts.seed ?? 1, trace: 'full' });
  await system.run(opts.cranks ?? 50);
  const pid = (label: string): ObjectId => idOf(system.labels, label);
  return { system, pid, process: (label: string) => proc(system, pid(label)) };
}

describe('a confined program', () => {
  it('keeps its module-level state to itself: another process of the same module does not see it', async () => {
    const { process } = await runFixture('shared-state');
    expect(process('reader').state).toEqual({ saw: null });
  });

  it('sees a seeded Math.random and the simulated clock: the same seed replays to the same trace hash', async () => {
    const first = await runFixture('clock-random', { seed: 7 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await runFixture('clock-random', { seed: 7 });
    expect(first.process('dice').status).toBe('ready');
    expect((first.process('dice').state as { rolls: number[] }).rolls).toHaveLength(20);
    expect(second.system.kernel.trace.hash).toBe(first.system.kernel.trace.hash);
    const other = await runFixture('clock-random', { seed: 8 });
    expect(other.system.kernel.trace.hash).not.toBe(first.system.kernel.trace.hash);
  });

  it('has no timers: setTimeout is a fault of the crank that called it', async () => {
    const { process } = await runFixture('timer');
    expect(process('late').lastFault).toMatch(/setTimeout is not defined/);
  });

  it('has no process object: process.exit is a fault', async () => {
    const { process } = await runFixture('process-exit');
    expect(process('quitter').lastFault).toMatch(/process is not defined/);
  });

  it('may not return a Promise from a handler: a fault naming the program', async () => {
    const { process } = await runFixture('async-receive');
    expect(process('eager').lastFault).toMatch(/program 'eager'.*Promise/);
  });

  it('that throws a value without a prototype, an Error whose message getter throws, or null faults readably', async () => {
    const { process } = await runFixture('odd-throws');
    expect(process('bare').lastFault).toMatch(/^program 'bare' threw an object with no prototype/);
    expect(process('trap').lastFault).toMatch(/^program 'trap' threw an Error whose message could not be read/);
    expect(process('nothing').lastFault).toMatch(/^program 'nothing' threw null/);
  });
});
