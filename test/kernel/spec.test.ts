import { describe, expect, test } from 'vitest';
import { Kernel, checkSpec, instantiate, READ, WEAK, type SystemSpec } from '../../kernel/index.ts';

const programs = { echo: { init: () => null, receive: (_ctx: unknown, s: null) => s } };

function spec(over: Partial<SystemSpec> = {}): SystemSpec {
  return {
    name: 'tiny',
    description: 'two processes',
    programs,
    processes: [{ name: 'server', program: 'echo' }, { name: 'client', program: 'echo', persistent: false, policy: { intensity: 9 } }],
    endpoints: [{ name: 'svc', owner: 'server' }],
    storage: [{ name: 'disk', owner: 'server', data: { v: 1 } }],
    caps: [{ holder: 'client', name: 'svc', target: 'svc', rights: 'rk', badge: 4 }],
    ...over,
  };
}

describe('system descriptions', () => {
  test('instantiate creates, names and wires what the description says', () => {
    const k = new Kernel({ programs });
    const w = instantiate(k, spec());
    const server = k.process(w.processes.get('server') as number);
    const client = k.process(w.processes.get('client') as number);
    expect(server.store).not.toBeNull();
    expect(client.store).toBeNull();
    expect([...server.named.keys()].sort()).toEqual(['disk', 'svc']);
    const held = client.named.get('svc');
    expect([held?.object.id, held?.rights, held?.badge]).toEqual([w.endpoints.get('svc'), READ | WEAK, 4]);
    expect(w.policies.get(client.id)).toEqual({ mode: 'permanent', intensity: 9, periodCranks: 1000 });
  });

  test.each<[string, Partial<SystemSpec>]>([
    ['needs a name', { name: '' }],
    ['at least one process', { processes: [] }],
    ['used twice', { endpoints: [{ name: 'server', owner: 'server' }] }],
    ['which the programs table does not define', { processes: [{ name: 'x', program: 'nope' }] }],
    ["owned by 'ghost'", { endpoints: [{ name: 'e', owner: 'ghost' }] }],
    ['not an endpoint, storage object or gatekeeper', { caps: [{ holder: 'client', name: 'x', target: 'server' }] }],
    ["unknown right 'z'", { caps: [{ holder: 'client', name: 'x', target: 'svc', rights: 'z' }] }],
    ["'client' holds two capabilities named 'svc'", { caps: [{ holder: 'client', name: 'svc', target: 'svc', rights: 'r' }, { holder: 'client', name: 'svc', target: 'disk', rights: 'r' }] }],
    ["'server' holds two capabilities named 'disk'", { caps: [{ holder: 'server', name: 'disk', target: 'svc', rights: 'r' }] }],
    ["capability 'x': badge 1152921504606847000 is not an integer from 0 to 2^53 - 1", { caps: [{ holder: 'client', name: 'x', target: 'svc', badge: 2 ** 60 }] }],
    ['badge 1.5 is not an integer', { caps: [{ holder: 'client', name: 'x', target: 'svc', badge: 1.5 }] }],
    ['badge NaN is not an integer', { caps: [{ holder: 'client', name: 'x', target: 'svc', badge: NaN }] }],
    ["badge '7' is not an integer", { caps: [{ holder: 'client', name: 'x', target: 'svc', badge: '7' as unknown as number }] }],
    ['badge -1 is not an integer', { caps: [{ holder: 'client', name: 'x', target: 'svc', badge: -1 }] }],
    ["process 'x': args is not plain data: a function", { processes: [{ name: 'x', program: 'echo', args: [() => 1] as never }] }],
    ["process 'x': args is not plain data: only plain objects", { processes: [{ name: 'x', program: 'echo', args: [new Date(0)] as never }] }],
    ["storage object 'disk': data is not plain data: number NaN", { storage: [{ name: 'disk', owner: 'server', data: { v: NaN } }] }],
    ["storage object 'disk': data is a getter", { storage: [Object.defineProperty({ name: 'disk', owner: 'server' }, 'data', { get: () => 1, enumerable: true }) as never] }],
  ])('checkSpec names the problem: %s', (message, over) => {
    expect(() => checkSpec(spec(over))).toThrow(message);
  });

  test('a badge up to 2^53 - 1 is accepted', () => {
    expect(() => checkSpec(spec({ caps: [{ holder: 'client', name: 'x', target: 'svc', badge: Number.MAX_SAFE_INTEGER }] }))).not.toThrow();
  });
});
