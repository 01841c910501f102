/**
 * I4 and I5 extended to sturdy references, as properties over random operations and the crash
 * explorer's faults (tools/check/schedule.ts: power loss keeping a prefix of unsynced batches,
 * a checkpoint cut short, a second power loss right after a restart), under every model:
 *   I4: whatever the gatekeeper gives back has exactly the rights and badge the token was made
 *       with — never more, though every token is made from a diminished copy;
 *   I5: a token whose revocation was durable never resolves again, after any restart.
 * A revocation counts as durable once no batch is left unsynced after the crank that made it.
 * The fast-check seed is printed; CAPSIM_SEED=<seed> replays it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { descendantsOf } from './tree.ts';
import { isDiminished, parseToken, type Kernel } from '../../../kernel/index.ts';
import { PERSISTENCE_MODELS, System, type BuiltInModelName } from '../../../restart-agent/system.ts';
import { MemoryDisk } from '../../../store/index.ts';
import type { Fault } from '../../../tools/check/schedule.ts';
import { assertProperty } from '../../support/seed.ts';
import { labSpec, type Booked, type LabOp, type Seen } from './lab.ts';

const TOKENS_MAX = 4;

const opArb: fc.Arbitrary<LabOp> = fc.oneof(
  fc.record({ op: fc.constant('make' as const), rights: fc.integer({ min: 0, max: 15 }), badge: fc.nat({ max: 3 }) }),
  fc.record({ op: fc.constant('restore' as const), k: fc.nat({ max: TOKENS_MAX - 1 }) }),
  fc.record({ op: fc.constant('unsturdy' as const), k: fc.nat({ max: TOKENS_MAX - 1 }) }),
  fc.record({ op: fc.constant('revokeSource' as const), k: fc.nat({ max: TOKENS_MAX - 1 }) }),
);

function faultArb(model: BuiltInModelName): fc.Arbitrary<Fault> {
  const keep = fc.nat({ max: 3 });
  const kinds: fc.Arbitrary<Fault>[] = [
    fc.record({ kind: fc.constant('power' as const), keepBatches: keep }),
    fc.record({ kind: fc.constant('restart' as const), stage: fc.constant('after' as const), keepBatches: keep }),
  ];
  if (model !== 'explicit') kinds.push(fc.record({ kind: fc.constant('checkpoint' as const), afterBatches: fc.nat({ max: 3 }), keepBatches: keep }));
  return fc.oneof(...kinds);
}

async function applyFault(system: System, fault: Fault): Promise<void> {
  if (fault.kind === 'checkpoint') {
    const outcome = await system.checkpoint({ interruptAfterBatches: fault.afterBatches });
    if (outcome.complete) await system.powerLoss({ keepBatches: fault.keepBatches });
  } else {
    await system.powerLoss({ keepBatches: fault.keepBatches });
  }
  expectSound(await system.restart());
  if (fault.kind === 'restart') {
    await system.powerLoss({ keepBatches: fault.keepBatches });
    expectSound(await system.restart());
  }
}

function expectSound(report: { invariants: Record<string, string> }): void {
  for (const [name, verdict] of Object.entries(report.invariants)) expect(`${name}: ${verdict}`).toMatch(/: (ok|not checked)/);
}

function storageOf(system: System, program: string, name: string): unknown {
  const p = [...system.kernel.processes()].find((q) => q.program === program);
  const cap = p?.named.get(name);
  if (cap === undefined || cap.object.kind !== 'storage') throw new Error(`${program} names no storage '${name}'`);
  return cap.object.data;
}

/** I4 extended, on the live kernel and on what the user was given. */
function checkNoAmplification(kernel: Kernel, book: readonly Booked[], seen: readonly Seen[]): void {
  const byId = new Map(book.map((b) => [parseToken(b.token)?.id, b]));
  for (const e of kernel.sturdy.values()) {
    const booked = byId.get(e.id);
    if (booked !== undefined) expect({ rights: e.rights, badge: e.badge }, `token ${e.id}`).toEqual({ rights: booked.rights, badge: booked.badge });
    if (e.anchor === null) continue;
    expect(e.anchor.parent === null || isDiminished(e.anchor.parent.rights, e.anchor.rights), `anchor of ${e.id}`).toBe(true);
    for (const d of descendantsOf(e.anchor)) {
      expect(isDiminished(e.rights, d.rights), `a capability restored from token ${e.id}`).toBe(true);
      expect(d.badge, `a capability restored from token ${e.id}`).toBe(e.badge);
    }
  }
  for (const s of seen) {
    if (s.rights === undefined) continue;
    const booked = book[s.k];
    if (booked !== undefined) expect({ rights: s.rights, badge: s.badge }, `restore of token ${s.k}`).toEqual({ rights: booked.rights, badge: booked.badge });
  }
}

/** I5 extended: every durably revoked token is revoked in the kernel, with nothing to resolve to. */
function checkRevoked(kernel: Kernel, durable: ReadonlySet<number>): void {
  for (const id of durable) {
    const e = kernel.sturdy.get(id);
    expect(e?.revoked, `token ${id}, revoked durably before the restart`).toBe(true);
    expect(e?.anchor ?? null, `token ${id}`).toBeNull();
  }
}

function noteDurable(system: System, durable: Set<number>): void {
  if ((system.store.faults?.unsyncedBatches ?? 0) !== 0) return;
  for (const e of system.kernel.sturdy.values()) if (e.revoked) durable.add(e.id);
}

describe('sturdy references under faults (I4, I5 extended)', () => {
  for (const model of PERSISTENCE_MODELS) {
    it(`${model}: never more than the token's capability; a durable revocation never undone`, async () => {
      const exercised = { revoked: 0, restored: 0 };
      await assertProperty(
        fc.asyncProperty(
          fc.array(opArb, { minLength: 4, maxLength: 24 }),
          fc.array(fc.record({ cranks: fc.nat({ max: 12 }), fault: faultArb(model) }), { minLength: 1, maxLength: 3 }),
          fc.integer({ min: 1, max: 3 }),
          fc.nat({ max: 1000 }),
          async (ops, steps, syncEvery, seed) => {
            const inputs = [...ops];
            const system = await System.create({ spec: labSpec(inputs), store: { backend: 'memory', disk: new MemoryDisk() }, model, seed, syncEvery, checkpointEvery: 7 });
            const durable = new Set<number>();
            try {
              for (const step of steps) {
                for (let i = 0; i < step.cranks; i++) {
                  if ((await system.step()) === null) break;
                  noteDurable(system, durable);
                }
                await applyFault(system, step.fault);
                checkRevoked(system.kernel, durable);
                noteDurable(system, durable);
              }
              // After the faults, every token is tried once more: the last word on each.
              await system.run(500);
              for (let k = 0; k < TOKENS_MAX; k++) inputs.push({ op: 'restore', k });
              await system.run(500);
              exercised.revoked += durable.size;
              const book = (storageOf(system, 'maker', 'book') as { tokens: Booked[] }).tokens;
              const seen = (storageOf(system, 'user', 'seen') as { seen: Seen[] }).seen;
              checkNoAmplification(system.kernel, book, seen);
              checkRevoked(system.kernel, durable);
              // The closing restores: a durably revoked token was refused as revoked.
              const last = new Map(seen.map((s) => [s.k, s]));
              exercised.restored += seen.filter((s) => s.rights !== undefined).length;
              for (const [k, b] of book.entries()) {
                const id = parseToken(b.token)?.id ?? 0;
                if (durable.has(id)) expect(last.get(k)?.code, `token ${k} (${id}) after the faults`).toBe('token_revoked');
              }
            } finally {
              await system.close();
            }
          },
        ),
        { numRuns: 60, replay: `npx vitest run test/restart-agent/sturdy/properties.test.ts` },
      );
      // The runs must have judged something: tokens resolved, and revocations made durable.
      expect(exercised.revoked).toBeGreaterThan(0);
      expect(exercised.restored).toBeGreaterThan(0);
    }, 120_000);
  }
});
