import { describe, expect, test } from 'vitest';
import { KernelError, type Ctx } from '../../../kernel/index.ts';
import { A_STORAGE, A_STORE, A_TO_B, pair } from '../support/fixtures.ts';

const USES: [string, (ctx: Ctx) => unknown][] = [
  ['send', (ctx) => ctx.send(A_TO_B, 1)],
  ['call', (ctx) => ctx.call(A_TO_B, 1)],
  ['reply', (ctx) => ctx.reply(A_TO_B, 1)],
  ['copy', (ctx) => ctx.copy(A_STORAGE)],
  ['mint', (ctx) => ctx.mint(A_STORAGE, 1)],
  ['move', (ctx) => ctx.move(A_STORAGE, 30)],
  ['delete', (ctx) => ctx.delete(A_STORAGE)],
  ['revoke', (ctx) => ctx.revoke(A_STORAGE)],
  ['identify', (ctx) => ctx.identify(A_STORAGE)],
  ['compare', (ctx) => ctx.compare(A_STORAGE, A_TO_B)],
  ['slots', (ctx) => ctx.slots()],
  ['createEndpoint', (ctx) => ctx.createEndpoint()],
  ['createStorage', (ctx) => ctx.createStorage(1)],
  ['read', (ctx) => ctx.read(A_STORAGE)],
  ['write', (ctx) => ctx.write(A_STORAGE, 2)],
  ['register', (ctx) => ctx.register(A_STORE, 'x', A_TO_B)],
  ['unregister', (ctx) => ctx.unregister(A_STORE, 'x')],
  ['names', (ctx) => ctx.names(A_STORE)],
  ['lookup', (ctx) => ctx.lookup('x')],
  ['log', (ctx) => ctx.log('late')],
];

describe('ctx', () => {
  test.each(USES)('%s through a ctx kept past its crank: not_in_crank, and nothing changes', (_name, use) => {
    let kept: Ctx | null = null;
    const { lab, a } = pair();
    lab.poke('a', (ctx) => {
      kept = ctx;
    });
    const before = [...lab.kernel.process(a).cspace.entries()].map(([s, c]) => [s, c.rights]);
    let thrown: unknown = null;
    try {
      use(kept as unknown as Ctx);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(KernelError);
    expect((thrown as KernelError).code).toBe('not_in_crank');
    expect([...lab.kernel.process(a).cspace.entries()].map(([s, c]) => [s, c.rights])).toEqual(before);
    lab.kernel.run();
    expect(lab.deliveries('b')).toEqual([]);
  });

  test('a ctx kept by one process cannot act in another process\'s crank', () => {
    let kept: Ctx | null = null;
    const { lab } = pair({ b: { receive: () => { (kept as unknown as Ctx).send(A_TO_B, 'as a'); } } });
    lab.poke('a', (ctx) => {
      kept = ctx;
      ctx.send(A_TO_B, 'wake b');
    });
    lab.kernel.run();
    expect(lab.kernel.process(lab.pid('b')).lastFault).toMatch(/not_in_crank/);
    expect(lab.payloads('b')).toEqual(['wake b']);
  });

  test('a ctx kept past its crank acts again in a later crank of its own process, for that crank', () => {
    let kept: Ctx | null = null;
    const { lab } = pair();
    lab.poke('a', (ctx) => {
      kept = ctx;
    });
    expect(lab.poke('a', () => (kept as unknown as Ctx).send(A_TO_B, 'through the kept ctx'))).toEqual({ ok: true, value: undefined });
    lab.kernel.run();
    expect(lab.payloads('b')).toEqual(['through the kept ctx']);
  });

  test('a ctx kept by a process that was restarted reaches nothing in the new incarnation', () => {
    let kept: Ctx | null = null;
    const { lab, a } = pair();
    lab.poke('a', (ctx) => {
      kept = ctx;
    });
    lab.kernel.restartProcess(a);
    lab.kernel.run();
    const late = lab.poke('a', () => (kept as unknown as Ctx).send(A_TO_B, 'as the old incarnation'));
    expect(late).toEqual({ ok: false, code: 'not_in_crank' });
    expect(lab.payloads('b')).toEqual([]);
  });

  test('self cannot be changed by the program that reads it: the next crank sees it as it was', () => {
    const { lab } = pair();
    const edit = lab.poke('a', (ctx) => {
      try {
        (ctx.self as { program: string }).program = 'someone else';
      } catch {
        // frozen: the assignment throws in strict code
      }
      return ctx.self.program;
    });
    expect(edit).toEqual({ ok: true, value: 'lab' });
    expect(lab.poke('a', (ctx) => ctx.self.program)).toEqual({ ok: true, value: 'lab' });
  });

  test('self tells program, arguments and generation', () => {
    const { lab } = pair();
    expect(lab.poke('a', (ctx) => ctx.self)).toEqual({ ok: true, value: { program: 'lab', args: ['a'], generation: 0 } });
  });
});
