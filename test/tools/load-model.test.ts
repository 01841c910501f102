/**
 * Loading a persistence model of the user's own (--model ./file.ts, SystemOptions.model): a good
 * one runs; every problem — a missing file, no `model` export, a malformed model, a built-in's
 * name, a hook that throws — is one line naming the file (and the hook).
 */
import { describe, expect, it } from 'vitest';
import { System, SystemError, violations } from '../../restart-agent/index.ts';
import { MemoryDisk } from '../../store/index.ts';
import { system as counter } from '../../examples/counter.ts';
import { DescriptionError, loadModel } from '../../tools/loader/index.ts';

const FIXTURES = 'test/tools/fixtures/models';

async function refusal(ref: string): Promise<string> {
  const error = await loadModel(ref).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DescriptionError);
  const message = (error as Error).message;
  expect(message.includes('\n'), message).toBe(false);
  return message;
}

describe('loading a persistence model', () => {
  it('gives a built-in by name and a module\'s model by path', async () => {
    expect((await loadModel('transcript')).name).toBe('transcript');
    const own = await loadModel('experiments/models/sync-on-output.ts');
    expect(own.name).toBe('sync-on-output');
    const sys = await System.create({ spec: counter, store: { backend: 'memory', disk: new MemoryDisk() }, model: own });
    await sys.run(20);
    await sys.powerLoss();
    const report = await sys.restart();
    expect(report.model).toBe('sync-on-output');
    expect(violations(report.invariants)).toEqual([]);
    await sys.close();
  });

  it('refuses what is not a model in one line naming the file', async () => {
    expect(await refusal('no-such-model')).toMatch(/^no persistence model 'no-such-model': use one of explicit, checkpoint, both, transcript/);
    expect(await refusal(`${FIXTURES}/missing.ts`)).toBe(`${FIXTURES}/missing.ts: no such file (a persistence model is a module that exports 'model')`);
    expect(await refusal(`${FIXTURES}/no-model.ts`)).toMatch(/no-model\.ts: exports no 'model' \(found: modle\)/);
    expect(await refusal(`${FIXTURES}/no-driver.ts`)).toMatch(/no-driver\.ts: model 'no-driver' has no driver\(\) function$/);
    expect(await refusal(`${FIXTURES}/takes-a-built-in-name.ts`)).toMatch(/takes-a-built-in-name\.ts: .*cannot be named 'checkpoint'/);
    expect(await refusal(`${FIXTURES}/factory-throws.ts`)).toBe(`${FIXTURES}/factory-throws.ts: model() threw: no kit today`);
  });

  it('turns a hook that throws into one line naming the model, its file and the hook', async () => {
    const model = await loadModel(`${FIXTURES}/throws-after-crank.ts`);
    const sys = await System.create({ spec: counter, store: { backend: 'memory', disk: new MemoryDisk() }, model });
    const error = await sys.run(3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SystemError);
    expect((error as SystemError).code).toBe('model_failed');
    expect((error as Error).message).toBe(`persistence model 'throws-after-crank' (${FIXTURES}/throws-after-crank.ts): afterCrank() threw: the model forgot something`);
    await sys.close();
  });

  it('opens a store made with a model of one\'s own only with that model given', async () => {
    const disk = new MemoryDisk();
    const model = await loadModel('experiments/models/sync-on-output.ts');
    const sys = await System.create({ spec: counter, store: { backend: 'memory', disk }, model });
    await sys.run(5);
    await sys.close();
    const error = await System.open({ spec: counter, store: { backend: 'memory', disk } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SystemError);
    expect((error as Error).message).toMatch(/^the store was made with persistence model 'sync-on-output', which is not built in: give that model again/);
    const { system, report } = await System.open({ spec: counter, store: { backend: 'memory', disk }, model });
    expect(report.model).toBe('sync-on-output');
    await system.close();
  });
});
