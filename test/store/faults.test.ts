/**
 * Injected write failures (as a full disk): the caller gets StoreError('write_failed'), the
 * failed batch writes nothing, and the store goes on consistent.
 */
import { describe, expect, it } from 'vitest';
import { openStore, StoreError } from '../../store/index.ts';

const endpoint = (id: number) => ({ id, kind: 'endpoint' as const, owner: null });

describe('injected write failures', () => {
  it('a failed commit writes nothing and the next one succeeds', async () => {
    const store = await openStore({ backend: 'memory', faults: true });
    const first = store.begin();
    first.putObject(endpoint(1));
    await store.commit(first, { sync: false });

    store.faults!.failWrite(1);
    const failing = store.begin();
    failing.putObject(endpoint(2));
    failing.deleteObject(1);
    const error = await store.commit(failing, { sync: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('write_failed');
    expect(await store.objects.get(2)).toBeUndefined();
    expect(await store.objects.get(1)).toEqual(endpoint(1));
    expect(store.faults!.unsyncedBatches).toBe(1);

    const next = store.begin();
    next.putObject(endpoint(3));
    await store.commit(next, { sync: true });
    store.faults!.powerLoss();
    const again = await openStore({ backend: 'memory', disk: store.disk!, faults: true });
    expect(await again.objects.get(1)).toEqual(endpoint(1));
    expect(await again.objects.get(2)).toBeUndefined();
    expect(await again.objects.get(3)).toEqual(endpoint(3));
    await again.close();
  });

  it('the nth write from now fails, not an earlier one', async () => {
    const store = await openStore({ backend: 'memory', faults: true });
    store.faults!.failWrite(3);
    const results: string[] = [];
    for (let i = 1; i <= 4; i++) {
      const tx = store.begin();
      tx.putObject(endpoint(i));
      results.push(await store.commit(tx, { sync: false }).then(() => 'ok', (e: StoreError) => e.code));
    }
    expect(results).toEqual(['ok', 'ok', 'write_failed', 'ok']);
    expect(await store.objects.count()).toBe(3);
    await store.close();
  });

  it('a failed high-water raise hands out no IDs and leaves meta as it was', async () => {
    const store = await openStore({ backend: 'memory', faults: true });
    const before = store.meta;
    store.faults!.failWrite(1);
    await expect(store.reserveIds(5)).rejects.toMatchObject({ code: 'write_failed' });
    expect(store.meta).toEqual(before);
    const range = await store.reserveIds(5);
    expect(range.first).toBe(before.idHighWater);
    await store.close();
  });

  it('a failed recordBoot leaves the boot count as it was', async () => {
    const store = await openStore({ backend: 'memory', faults: true });
    store.faults!.failWrite(1);
    await expect(store.recordBoot()).rejects.toMatchObject({ code: 'write_failed' });
    expect(store.meta.bootCount).toBe(0);
    expect(await store.recordBoot()).toBe(1);
    await store.close();
  });

  it('after a power loss every call says the store is closed', async () => {
    const store = await openStore({ backend: 'memory', faults: true });
    store.faults!.powerLoss();
    expect(() => store.begin()).toThrow(/closed/);
    await expect(store.reserveIds(1)).rejects.toMatchObject({ code: 'closed' });
    await expect(store.registrations.count()).rejects.toMatchObject({ code: 'closed' });
    expect(() => store.faults!.powerLoss()).toThrow(StoreError);
  });
});
