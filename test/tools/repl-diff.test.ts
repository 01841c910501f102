/**
 * The REPL's `diff`: what the last command that could change something changed in the graph —
 * a revoke's removed edges, a step's states, and across crash and restart what the power loss
 * took — with looking commands passed over.
 */
import { describe, expect, it } from 'vitest';
import { system as bank } from '../../examples/bank.ts';
import { MemoryDisk } from '../../store/index.ts';
import { builtinRegistry } from '../../tools/repl/builtin.ts';
import { execute } from '../../tools/repl/dispatch.ts';
import { Session } from '../../tools/repl/session.ts';

async function bankShell(): Promise<(...lines: string[]) => Promise<string>> {
  let buffer = '';
  const { session } = await Session.start(
    { spec: bank, location: { backend: 'memory', disk: new MemoryDisk() }, seed: 1, syncEvery: 4, checkpointEvery: 0, runMax: 1000, debug: false, write: (t) => void (buffer += t) },
    false,
  );
  const registry = builtinRegistry();
  return async (...lines) => {
    buffer = '';
    for (const line of lines) expect(await execute(session, registry, line), `${line}\n${buffer}`).toBe(true);
    return buffer;
  };
}

describe('repl diff', () => {
  it('says so before any command ran', async () => {
    const run = await bankShell();
    expect(await run('diff')).toContain('no command has run yet');
  });

  it("shows a step's state changes, passing over the looking commands after it", async () => {
    const run = await bankShell();
    const out = await run('step 2', 'ps', 'graph', 'diff');
    expect(out).toContain("what 'step 2' changed:");
    // The teller takes its key; the customer outside the machine makes the first deposit.
    expect(out).toContain("+ edge p3 teller -> endpoint 5 'bank-service' of p1 [rw- badge 7]");
    expect(out).toMatch(/~ p1 bank: state \{"balance":100,"fired":false\} -> \{"balance":110,"fired":false\}/);
  });

  it('shows the edges a revoke removed, and no other change', async () => {
    const run = await bankShell();
    await run('step 2');
    // Slot 5 of the bank holds the teller grant; revoking it takes the teller's key.
    const out = await run('revoke p1 5', 'diff');
    expect(out).toContain("what 'revoke p1 5' changed:");
    expect(out).toContain('0 edge(s) added, 1 removed; 0 process(es) changed');
    expect(out).toContain("- edge p3 teller -> endpoint 5 'bank-service' of p1 [rw- badge 7]");
  });

  it('after crash and restart, shows what the power loss took against the graph before the crash', async () => {
    const run = await bankShell();
    await run('step 3');
    expect(await run('crash', 'diff')).toContain("the power is off after 'crash'");
    const out = await run('restart', 'diff');
    expect(out).toContain("what 'restart' changed:");
    expect(out).toContain("- edge p3 teller -> endpoint 5 'bank-service' of p1 [rw- badge 7]");
  });
});
