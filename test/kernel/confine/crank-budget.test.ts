/**
 * The crank budget of a confined program, at the kernel: what runs inside it (the handler, and
 * the module's own code when the crank makes the process's instance) and what spending it
 * means (a crank_budget_exceeded fault, even for a handler that catches the budget's error and
 * returns). A program here is a module written to a temporary folder and loaded as capsim loads
 * a user's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Kernel, type ProgramTable } from '../../../kernel/index.ts';
import { exportState, importState } from '../../../kernel/state.ts';
import { confinedModule, confinedSystem } from '../../../tools/loader/index.ts';

const folder = mkdtempSync(join(tmpdir(), 'capsim-budget-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A budget the loops below are sized against: each loop iteration is one step. */
const STEPS = 10_000;

let written = 0;
async function programs(source: string): Promise<ProgramTable> {
  const file = join(folder, `m${written++}.ts`);
  writeFileSync(file, source);
  const spec = confinedSystem(await confinedModule(file), 'system', file);
  if (spec === null) throw new Error('the module exports no system');
  return spec.programs;
}

/** A module with one program `p`; `top` runs at the module's top level, `init` and `receive` are its handlers. */
function module(parts: { top?: string; init?: string; receive: string }): string {
  return `
const spin = (n) => { let i = 0; while (i < n) i++; return i; };
${parts.top ?? ''}
const p = { init: () => { ${parts.init ?? 'return 0;'} }, receive: (ctx, state) => { ${parts.receive} } };
export const system = { name: 'budget', description: 'one program', programs: { p }, processes: [{ name: 'p', program: 'p' }] };
`;
}

function started(table: ProgramTable): { kernel: Kernel; pid: number; inbox: number } {
  const kernel = new Kernel({ programs: table, trace: 'off', limits: { crank_steps_max: STEPS } });
  const pid = kernel.spawn('p');
  const inbox = kernel.createEndpoint(pid).id;
  kernel.startAll();
  return { kernel, pid, inbox };
}

describe("a confined program's crank budget", () => {
  it('is enough for a handler that stays within it', async () => {
    const { kernel, pid, inbox } = started(await programs(module({ receive: `return state + spin(${STEPS / 2});` })));
    kernel.inject(inbox, 1);
    kernel.run();
    expect(kernel.process(pid).lastFault).toBeNull();
    expect(kernel.process(pid).state).toBe(STEPS / 2);
  });

  it('stops a handler that runs past it: the crank faults with crank_budget_exceeded', async () => {
    const { kernel, pid, inbox } = started(await programs(module({ receive: 'for (;;) {}' })));
    kernel.inject(inbox, 1);
    kernel.run();
    expect(kernel.process(pid).lastFault).toMatch(/crank_budget_exceeded: program 'p' ran past the crank budget of 10000 steps in receive/);
    expect(kernel.process(pid).state).toBe(0);
  });

  it('is spent even when the handler catches the error that stopped it and returns a state', async () => {
    const { kernel, pid, inbox } = started(await programs(module({ receive: 'try { for (;;) {} } catch { return 99; }' })));
    kernel.inject(inbox, 1);
    kernel.run();
    expect(kernel.process(pid).lastFault).toMatch(/crank_budget_exceeded/);
    expect(kernel.process(pid).state).toBe(0);
  });

  it('is spent for an init that catches the error that stopped it and returns a state', async () => {
    const { kernel, pid } = started(await programs(module({ init: 'try { for (;;) {} } catch { return 5; }', receive: 'return state;' })));
    expect(kernel.process(pid).lastFault).toMatch(/crank_budget_exceeded: .* in init/);
    expect(kernel.process(pid).state).toBeNull();
  });

  it("covers the module's own code when the crank makes the process's instance: init gets what is left", async () => {
    // Each part alone fits the budget; together they do not.
    const top = `spin(${(STEPS * 3) / 5});`;
    const { kernel, pid } = started(await programs(module({ top, init: `return spin(${(STEPS * 3) / 5});`, receive: 'return state;' })));
    expect(kernel.process(pid).lastFault).toMatch(/crank_budget_exceeded: .* in init/);
    const alone = started(await programs(module({ init: `return spin(${(STEPS * 3) / 5});`, receive: 'return state;' })));
    expect(alone.kernel.process(alone.pid).lastFault).toBeNull();
  });

  it('covers the module\'s own code when a receive makes the instance (a process restored into a new kernel)', async () => {
    const table = await programs(module({ top: `spin(${(STEPS * 3) / 5});`, receive: `return state + spin(${(STEPS * 3) / 5});` }));
    const { kernel, pid, inbox } = started(table);
    expect(kernel.process(pid).lastFault).toBeNull();
    kernel.inject(inbox, 1);
    kernel.run();
    // The running instance was made by init's crank: this receive had the budget to itself.
    expect(kernel.process(pid).lastFault).toBeNull();
    const restored = importState(exportState(kernel), { programs: table, trace: 'off' });
    restored.inject(inbox, 1);
    restored.run();
    expect(restored.process(pid).lastFault).toMatch(/crank_budget_exceeded: .* in receive/);
  });
});
