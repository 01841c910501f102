/**
 * Restart policies end to end through System: a program that faults in its init after a
 * restart is restarted `intensity` times, then stopped, and the restart report's supervisor
 * events say so; the rest of the system restarts and runs.
 */
import { describe, expect, it } from 'vitest';
import { STORE_SLOT, type Program, type SystemSpec } from '../../kernel/index.ts';
import { formatReport } from '../../restart-agent/index.ts';
import { expectInvariantsOk, freshSystem, processOf } from './support/harness.ts';

/** Once armed (a name it registers), its init throws: every start after a restart faults. */
const fragile: Program<null> = {
  init(ctx) {
    if (ctx.lookup('armed') !== null) throw new Error('cannot start once armed');
    return null;
  },
  receive(ctx, state, message) {
    if (message.payload === 'arm') ctx.register(STORE_SLOT, 'armed', ctx.createEndpoint());
    return state;
  },
};

const steady: Program<number> = { init: () => 0, receive: (_ctx, n) => n + 1 };

function spec(intensity: number): SystemSpec {
  return {
    name: 'crash-loop',
    description: 'a process that cannot start once armed, beside one that can',
    programs: { fragile, steady },
    processes: [
      { name: 'fragile', program: 'fragile', policy: { mode: 'permanent', intensity, periodCranks: 1000 } },
      { name: 'steady', program: 'steady' },
    ],
    endpoints: [
      { name: 'fragile-in', owner: 'fragile' },
      { name: 'steady-in', owner: 'steady' },
    ],
    input: (i) => (i >= 500 ? null : i === 0 ? { to: 'fragile-in', payload: 'arm' } : { to: 'steady-in', payload: 'tick' }),
  };
}

describe('a crash loop in init after a restart', () => {
  it.each([1, 2, 3])('intensity %i: restarted that many times, then stopped and reported; the rest runs', async (intensity) => {
    const { system } = await freshSystem(spec(intensity), { seed: 4, syncEvery: 1 });
    await system.run(5);
    const fragilePid = processOf(system, 'fragile').id;
    expect(processOf(system, 'fragile').named.has('armed')).toBe(true);
    await system.powerLoss();
    const report = await system.restart();
    expectInvariantsOk(report, `crash loop, intensity ${intensity}`);

    const events = report.supervisor.filter((e) => e.pid === fragilePid);
    expect(events.map((e) => e.action)).toEqual([...Array<string>(intensity).fill('restarted'), 'crash loop stopped']);
    expect(events.every((e) => e.program === 'fragile')).toBe(true);
    expect(events.at(-1)?.reason).toMatch(new RegExp(`intensity ${intensity}`));
    expect(events.at(-1)?.reason).toMatch(/cannot start once armed/);
    expect(formatReport(report)).toMatch(/crash loop stopped/);
    expect(system.kernel.process(fragilePid).status).toBe('exited');

    // Nothing else was touched, and the system goes on.
    expect(report.supervisor.filter((e) => e.pid !== fragilePid)).toEqual([]);
    const before = processOf(system, 'steady').state as number;
    expect(await system.run(10)).toBe(10);
    expect(processOf(system, 'steady').state as number).toBe(before + 10);
    await system.close();
  });

  it('before it is armed, the same system restarts with no supervisor events', async () => {
    const { system } = await freshSystem(spec(2), { seed: 4, syncEvery: 1 });
    await system.powerLoss();
    const report = await system.restart();
    expectInvariantsOk(report, 'crash loop, not armed');
    expect(report.supervisor).toEqual([]);
    expect(processOf(system, 'fragile').status).toBe('ready');
    await system.close();
  });
});
