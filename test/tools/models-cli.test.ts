/**
 * The persistence models on the command line: run --model, boot of a checkpoint-model store
 * (the store remembers its model), and compare, which runs one system under every model with
 * the same seed and power loss.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCapsim, type CliRun } from '../support/cli.ts';

const capsim = (...args: string[]): Promise<CliRun> => runCapsim(args);

type Summary = { model: string; processes: { state: { balance: number } }[]; restart: { model: string; checkpoint?: { seq: number }; invariants: { name: string; verdict: string; detail: string | null }[] } };
const total = (s: Summary): number => s.processes.reduce((sum, p) => sum + p.state.balance, 0);

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capsim-models-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('persistence models on the command line', () => {
  it('compare: transfer-naive loses money under explicit and none under checkpoint, same seed and power loss', async () => {
    const r = await capsim('compare', 'transfer-naive', '--power-loss-at', '7', '--cranks', '60', '--models', 'explicit,checkpoint', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { runs: Record<string, Summary> };
    expect(total(out.runs.explicit!)).toBeLessThan(200);
    expect(total(out.runs.checkpoint!)).toBe(200);
    expect(out.runs.checkpoint!.restart.invariants).toContainEqual({ name: 'I10 checkpoint equivalence', verdict: 'ok', detail: null });
    const text = await capsim('compare', 'transfer-naive', '--power-loss-at', '7', '--cranks', '60');
    expect(text.stdout).toMatch(/restored from\s+database .*checkpoint 2 \(crank 7\)/);
  });

  it('run --model checkpoint makes a store that boot reopens under the checkpoint model', async () => {
    const store = join(dir, 'ckpt');
    const made = await capsim('run', 'counter', '--model', 'checkpoint', '--checkpoint-every', '3', '--cranks', '10', '--store', store, '--json');
    expect(made.code, made.stderr).toBe(0);
    expect((JSON.parse(made.stdout) as Summary).model).toBe('checkpoint');
    const booted = await capsim('boot', '--store', store, '--json');
    expect(booted.code, booted.stderr).toBe(0);
    const report = JSON.parse(booted.stdout) as Summary['restart'];
    expect(report.model).toBe('checkpoint');
    expect(report.checkpoint?.seq).toBeGreaterThan(1);
  });

  it('a model that does not exist is a usage error naming the choices', async () => {
    const r = await capsim('run', 'counter', '--model', 'eros');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("capsim: --model must be one of explicit, checkpoint, both, transcript or a path to a module that exports 'model', not 'eros'");
  });
});
