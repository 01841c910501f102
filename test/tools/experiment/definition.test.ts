import { describe, expect, it } from 'vitest';
import { checkExperiment, ExperimentError } from '../../../tools/experiment/definition.ts';
import { lossPoints, parseFaultPlan } from '../../../tools/experiment/fault-plan.ts';
import { resolveShard, shardOf } from '../../../tools/parallel/shard.ts';
import { cellsOf, trialsOf } from '../../../tools/experiment/trials.ts';

const ok = { name: 'e', systems: ['counter'] };

describe('an experiment definition', () => {
  it.each([
    [{ ...ok, name: 'has space' }, /name must be/],
    [{ ...ok, systems: [] }, /systems must be a non-empty list/],
    [{ ...ok, systems: ['counter', 'counter'] }, /listed twice/],
    [{ ...ok, grid: { model: ['eros'] } }, /grid.model: 'eros' is not one of/],
    [{ ...ok, grid: { syncEvery: [0] } }, /grid.syncEvery: 0 must be a whole number in 1..1000/],
    [{ ...ok, grid: { fault: ['sometimes'] } }, /grid.fault: "sometimes" is not a fault plan/],
    [{ ...ok, grid: { procesess: [10] } }, /grid.procesess is neither a capsim parameter/],
    [{ ...ok, grid: { model: ['explicit', 'explicit'] } }, /lists a value twice/],
    [{ ...ok, seeds: [1, 1] }, /seeds lists a seed twice/],
    [{ ...ok, metrics: ['lostCranks'] }, /no built-in metric 'lostCranks'/],
    [{ ...ok, grid: { cranks: Array.from({ length: 101 }, (_, i) => i + 1), syncEvery: Array.from({ length: 100 }, (_, i) => i + 1) } }, /cells; at most 10000/],
  ])('refuses %j with a line naming the problem', (def, message) => {
    expect(() => checkExperiment(def, 'x.json')).toThrow(ExperimentError);
    expect(() => checkExperiment(def, 'x.json')).toThrow(message);
  });

  it('gives every system × grid combination × seed one trial, in a fixed order, and varies a system only by its own parameters', () => {
    const def = checkExperiment(
      { name: 'e', systems: [{ name: 'p', build: () => ({}) as never, params: ['n'] }, 'counter'], grid: { n: [1, 2], model: ['explicit', 'checkpoint'], cranks: [50] }, seeds: 3 },
      'x.ts',
    );
    const cells = cellsOf(def);
    expect(cells.map((c) => [c.system, c.varied])).toEqual([
      ['p', { n: 1, model: 'explicit' }],
      ['p', { n: 1, model: 'checkpoint' }],
      ['p', { n: 2, model: 'explicit' }],
      ['p', { n: 2, model: 'checkpoint' }],
      ['counter', { model: 'explicit' }],
      ['counter', { model: 'checkpoint' }],
    ]);
    expect(cells[0]?.params.cranks).toBe(50);
    const trials = trialsOf(def);
    expect(trials).toHaveLength(18);
    expect(trials.slice(0, 4).map((t) => t.id)).toEqual(['c0-s1', 'c0-s2', 'c0-s3', 'c1-s1']);
  });
});

describe('a fault plan', () => {
  it('pulls the power where it says, and at a rate the same way for the same seed', () => {
    expect(lossPoints(parseFaultPlan('none'), 100, 1)).toEqual([]);
    expect(lossPoints(parseFaultPlan('at:30'), 100, 1)).toEqual([30]);
    expect(lossPoints(parseFaultPlan('at:300'), 100, 1)).toEqual([]);
    expect(lossPoints(parseFaultPlan('every:25'), 100, 1)).toEqual([25, 50, 75]);
    const a = lossPoints(parseFaultPlan('rate:0.1'), 1000, 7);
    expect(a).toEqual(lossPoints(parseFaultPlan('rate:0.1'), 1000, 7));
    expect(a).not.toEqual(lossPoints(parseFaultPlan('rate:0.1'), 1000, 8));
    expect(a.length).toBeGreaterThan(50);
    expect(a.length).toBeLessThan(150);
  });

  it.each(['at:0', 'every:-1', 'rate:0', 'rate:1.5', 'at:x', 'sometimes'])('refuses %s', (text) => {
    expect(() => parseFaultPlan(text)).toThrow(/fault plan|must be|needs a whole number/);
  });
});

describe('shards', () => {
  const trials = trialsOf(checkExperiment({ ...ok, grid: { syncEvery: [1, 2, 3, 4, 5] }, seeds: 2 }, 'x'));

  it('split the trials into disjoint slices that together are all of them', () => {
    const slices = [0, 1, 2].map((index) => shardOf(trials, { index, count: 3 }).map((t) => t.id));
    expect(slices.flat().sort()).toEqual(trials.map((t) => t.id).sort());
    expect(new Set(slices.flat()).size).toBe(trials.length);
  });

  it('come from --shard K/N, else from Slurm array or Kubernetes Indexed Job variables', () => {
    expect(resolveShard('2/3', {})).toEqual({ index: 1, count: 3 });
    expect(resolveShard(undefined, {})).toBeNull();
    expect(resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '8' })).toEqual({ index: 4, count: 8 });
    expect(resolveShard(undefined, { JOB_COMPLETION_INDEX: '0', CAPSIM_SHARDS: '4' })).toEqual({ index: 0, count: 4 });
    expect(() => resolveShard(undefined, { JOB_COMPLETION_INDEX: '0' })).toThrow(/CAPSIM_SHARDS/);
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1']) expect(() => resolveShard(bad, {})).toThrow(/--shard must be K\/N/);
    expect(() => resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '9', SLURM_ARRAY_TASK_COUNT: '8' })).toThrow(/outside 0..7/);
  });
});
