/**
 * The checker itself can fail: the observer that judges I1/I2 after a restart, and the
 * structural checks (I3, I5, I6), each shown to report a violation when given one, and to
 * accept what is legitimately there.
 */
import { describe, expect, it } from 'vitest';
import type { Capability, Process } from '../../kernel/index.ts';
import { Observer, boot, canonical, checkFidelity, checkRevocation, checkUniqueIds, type RecordWriter } from '../../restart-agent/index.ts';
import type { RecordKey } from '../../restart-agent/observer.ts';
import { openStore, type Registration } from '../../store/index.ts';
import { freshSystem, processOf } from './support/harness.ts';
import { counter } from './support/specs.ts';

const sink: RecordWriter = {
  putRegistration: () => {},
  deleteRegistration: () => {},
  putObject: () => {},
  deleteObject: () => {},
  putStorage: () => {},
  deleteStorage: () => {},
};

function registration(id: number, program: string): Registration {
  return { id, program, args: [], caps: {}, policy: { mode: 'permanent', intensity: 3, periodCranks: 1000 }, generation: 0 };
}

/** One commit of the given writes at `crank`. */
function commit(observer: Observer, crank: number, synced: boolean, write: (tx: RecordWriter) => void, revoked: number[] = []): void {
  const { tx, done } = observer.record(sink, crank);
  write(tx);
  done(synced, revoked);
}

/** The database as the boot would read it. */
function db(...entries: [RecordKey, unknown][]): Map<RecordKey, string> {
  return new Map(entries.map(([k, v]) => [k, canonical(v)]));
}

const storage = (id: number, n: number) => ({ id, version: n, data: { count: n } });

function history(): Observer {
  const observer = new Observer();
  commit(observer, 1, true, (tx) => tx.putRegistration(registration(1, 'counter')));
  commit(observer, 2, true, (tx) => tx.putStorage(storage(7, 1)));
  // Unsynced: two commits, the first of two records.
  commit(observer, 3, false, (tx) => (tx.putStorage(storage(7, 2)), tx.putRegistration(registration(2, 'client'))));
  commit(observer, 4, false, (tx) => tx.putStorage(storage(7, 3)));
  return observer;
}

describe('Observer.matchAfterRestart', () => {
  it('detects a missing synced record (I1) and says which', () => {
    const match = history().matchAfterRestart(db(['storage/7', storage(7, 1)]), new Set());
    expect(match.ok).toBe(false);
    expect(match.problem).toMatch(/equals no prefix/);
    expect(match.problem).toMatch(/registration\/1 is missing/);
  });

  it('detects a synced record with the wrong value', () => {
    const match = history().matchAfterRestart(db(['registration/1', registration(1, 'counter')], ['storage/7', storage(7, 0)]), new Set());
    expect(match.ok).toBe(false);
    expect(match.problem).toMatch(/storage\/7 differs/);
  });

  it('detects a partial commit (I2): half of an unsynced commit is there', () => {
    const partial = db(['registration/1', registration(1, 'counter')], ['storage/7', storage(7, 2)]);
    const match = history().matchAfterRestart(partial, new Set());
    expect(match).toMatchObject({ ok: false, kept: 0 });
    expect(match.problem).toMatch(/equals no prefix of the commits since the last sync/);
  });

  it('detects a record no commit wrote', () => {
    const extra = db(['registration/1', registration(1, 'counter')], ['storage/7', storage(7, 1)], ['registration/9', registration(9, 'ghost')]);
    const match = history().matchAfterRestart(extra, new Set());
    expect(match).toMatchObject({ ok: false, kept: 0 });
    expect(match.problem).toMatch(/equals no prefix of the commits since the last sync/);
    // With nothing unsynced, the base is the only candidate and the problem names the stranger.
    const synced = new Observer();
    commit(synced, 1, true, (tx) => tx.putRegistration(registration(1, 'counter')));
    const alone = synced.matchAfterRestart(db(['registration/1', registration(1, 'counter')], ['registration/9', registration(9, 'ghost')]), new Set());
    expect(alone.problem).toMatch(/registration\/9 should not be there/);
  });

  it('accepts the synced base alone, and each kept prefix, saying how much was kept', () => {
    const base: [RecordKey, unknown][] = [['registration/1', registration(1, 'counter')]];
    expect(history().matchAfterRestart(db(...base, ['storage/7', storage(7, 1)]), new Set())).toEqual({ ok: true, kept: 0, crank: 2, problem: null });
    const one = db(...base, ['storage/7', storage(7, 2)], ['registration/2', registration(2, 'client')]);
    expect(history().matchAfterRestart(one, new Set())).toEqual({ ok: true, kept: 1, crank: 3, problem: null });
    const two = db(...base, ['storage/7', storage(7, 3)], ['registration/2', registration(2, 'client')]);
    expect(history().matchAfterRestart(two, new Set())).toEqual({ ok: true, kept: 2, crank: 4, problem: null });
  });

  it('skips records the store reported damaged', () => {
    const match = history().matchAfterRestart(db(['storage/7', storage(7, 1)]), new Set(['registration/1']));
    expect(match.ok).toBe(true);
  });

  it('after a match the kept prefix is the new durable base: a later loss of it is detected', () => {
    const observer = history();
    const one = db(['registration/1', registration(1, 'counter')], ['storage/7', storage(7, 2)], ['registration/2', registration(2, 'client')]);
    expect(observer.matchAfterRestart(one, new Set()).ok).toBe(true);
    const lostAgain = observer.matchAfterRestart(db(['registration/1', registration(1, 'counter')], ['storage/7', storage(7, 1)]), new Set());
    expect(lostAgain.ok).toBe(false);
  });

  it('a revocation becomes durable only with its sync', () => {
    const observer = new Observer();
    commit(observer, 1, false, () => {}, [42]);
    expect(observer.revokedDurable.has(42)).toBe(false);
    commit(observer, 2, true, () => {}, [43]);
    expect([...observer.revokedDurable].sort()).toEqual([42, 43]);
  });
});

describe('the structural checks report violations', () => {
  it('I3: a restored kernel missing a named capability, or holding an unpersisted one, fails fidelity', async () => {
    const { system, disk } = await freshSystem(counter, { seed: 2 });
    await system.run(6);
    await system.close();
    const store = await openStore({ backend: 'memory', disk, create: false });
    const { kernel, records, report } = await boot(store, { programs: counter.programs });
    await store.close();
    expect(checkFidelity(kernel, records, [], new Set())).toBe('ok');

    const client = [...kernel.processes()].find((p) => p.program === 'counter-client') as Process;
    const cap = client.named.get('counter') as Capability;
    client.named.delete('counter');
    expect(checkFidelity(kernel, records, [], new Set())).toBe(`p${client.id} lacks its named capability 'counter'`);
    client.named.set('counter', cap);
    client.named.set('extra', cap);
    expect(checkFidelity(kernel, records, [], new Set())).toMatch(/holds 'extra', which its registration does not name/);
    client.named.delete('extra');
    // A reference reported lost must really be gone.
    const lost = [{ pid: client.id, program: client.program, name: 'counter', target: 0, reason: 'test' }];
    expect(checkFidelity(kernel, records, lost, new Set())).toMatch(/reported lost but is present/);
    // A registration with no restored process fails (quarantine.test.ts shows a quarantined one passes).
    const counterPid = report.restored.find((r) => r.program === 'counter')?.pid as number;
    kernel.objects.delete(counterPid);
    expect(checkFidelity(kernel, records, [], new Set())).toMatch(new RegExp(`registration ${counterPid} \\(counter\\) has no restored process`));
  });

  it('I5: a held capability whose revocation was durable fails revocation', async () => {
    const { system } = await freshSystem(counter, { seed: 2 });
    const held = processOf(system, 'counter-client').named.get('counter')?.capId as number;
    expect(held).toBeGreaterThan(0);
    const observer = new Observer();
    expect(checkRevocation(system.kernel, observer)).toBe('ok');
    commit(observer, 1, true, () => {}, [held]);
    expect(checkRevocation(system.kernel, observer)).toMatch(new RegExp(`holds capability ${held}, revoked before the power loss`));
    await system.close();
  });

  it('I6: fresh IDs at or below an issued one fail unique IDs', () => {
    const observer = new Observer();
    observer.highestIssued = 100;
    expect(checkUniqueIds(101, observer)).toBe('ok');
    expect(checkUniqueIds(100, observer)).toMatch(/fresh IDs start at 100, but 100 was issued/);
  });
});
