/**
 * `capsim run` says why a run ended where it did — the crank limit, every process ended, or an
 * idle system — and how often each process faulted, with the last fault, in text and in --json.
 * Before, a run that stopped early printed "3 crank(s) run" and an exited process, nothing more.
 */
import { describe, expect, it } from 'vitest';
import { runCapsim } from '../support/cli.ts';

const FAULTY = 'test/tools/fixtures/write-only-caller.ts';

describe('capsim run: why it stopped', () => {
  it('a run that ends early says the system went idle, and which process faulted how often', async () => {
    const r = await runCapsim(['run', FAULTY, '--cranks', '30']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/3 crank\(s\) run; stopped after 3 of 30 crank\(s\): the system is idle — no input left it can take \(27 refused by the kernel\)/);
    expect(r.stdout).toContain('3 fault(s) since the last boot; last fault: insufficient_rights: call needs r--, the capability has -w-');
  });

  it('--json carries the reason and the fault counts', async () => {
    const r = await runCapsim(['run', FAULTY, '--cranks', '30', '--json']);
    const s = JSON.parse(r.stdout) as { stopped: { reason: string }; processes: { program: string; faults: number; lastFault: string | null }[] };
    expect(s.stopped.reason).toBe('no_input');
    const caller = s.processes.find((p) => p.program === 'caller');
    expect(caller?.faults).toBe(3);
    expect(caller?.lastFault).toMatch(/^insufficient_rights/);
    expect(s.processes.find((p) => p.program === 'server')?.faults).toBe(0);
  });

  it('a run that used every crank says it stopped at the limit', async () => {
    const r = await runCapsim(['run', 'counter', '--cranks', '30', '--json']);
    const s = JSON.parse(r.stdout) as { cranks: number; stopped: { reason: string; text: string } };
    expect(s.cranks).toBe(30);
    expect(s.stopped).toEqual({ reason: 'crank_limit', text: 'stopped at the crank limit (30)' });
  });
});
