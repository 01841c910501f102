import { describe, expect, test } from 'vitest';
import { OBJECT_KINDS } from '../../../kernel/objects/kobject.ts';
import { A_STORE, A_TO_B, pair } from '../support/fixtures.ts';

describe('object kinds', () => {
  test('are process, endpoint, reply, storage, store and gatekeeper', () => {
    expect([...OBJECT_KINDS].sort()).toEqual(['endpoint', 'gatekeeper', 'process', 'reply', 'storage', 'store']);
  });

  test('a persistent process owns a store object, an endpoint its owner, a storage object data and a version', () => {
    const { lab, a, b, endpoint, storage } = pair();
    const k = lab.kernel;
    const store = k.process(a).store;
    expect(store?.owner).toBe(k.process(a));
    expect(k.process(a).cspace.lookup(A_STORE).object).toBe(store);
    expect(k.process(b).store).toBeNull();
    const e = k.objects.get(endpoint);
    expect(e?.kind === 'endpoint' && e.owner.id).toBe(b);
    const s = k.objects.get(storage);
    expect(s?.kind === 'storage' && [s.data, s.version]).toEqual([{ n: 1 }, 1]);
  });

  test('a reply object is made per call, knows its caller, and is used once answered', () => {
    const { lab, a } = pair({ b: { receive: (ctx, m) => { if (m.reply !== null) ctx.reply(m.reply, 'ok'); } } });
    lab.poke('a', (ctx) => ctx.call(A_TO_B, 1));
    const reply = lab.kernel.process(a).awaiting;
    expect(reply?.kind).toBe('reply');
    expect(reply?.caller?.id).toBe(a);
    expect([reply?.used, reply?.weak]).toEqual([false, false]);
    lab.kernel.run();
    expect(reply?.used).toBe(true);
    expect(lab.kernel.process(a).awaiting).toBeNull();
  });

  test('object ids are never reused, also after objects of an aborted crank are dropped', () => {
    const { lab } = pair();
    const ids = new Set(lab.kernel.objects.keys());
    lab.poke('a', (ctx) => ctx.createStorage(1), { fault: true });
    expect(new Set(lab.kernel.objects.keys())).toEqual(ids);
    lab.kernel.restartProcess(lab.pid('a'));
    lab.poke('a', (ctx) => ctx.createStorage(2));
    const fresh = [...lab.kernel.objects.keys()].filter((id) => !ids.has(id));
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).toBeGreaterThan(Math.max(...ids) + 1);
  });
});
