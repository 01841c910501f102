import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { type Capability, type Ctx, type ObjectId } from '../../../kernel/index.ts';
import { Lab } from '../support/lab.ts';
import { propertyParams } from '../support/seed.ts';

/**
 * A model of the derivation tree, kept by capability identity beside the kernel's: copy, mint and
 * transfer make a child of the source; delete hands children to the parent; revoke removes
 * every model descendant. After every step the kernel's live capabilities and their parents
 * must equal the model's.
 */
class TreeModel {
  readonly parent = new Map<Capability, Capability | null>();

  add(cap: Capability, parent: Capability | null): void {
    this.parent.set(cap, parent);
  }

  children(cap: Capability): Capability[] {
    return [...this.parent].filter(([, p]) => p === cap).map(([c]) => c);
  }

  descendants(cap: Capability): Set<Capability> {
    const out = new Set<Capability>();
    const todo = this.children(cap);
    while (todo.length > 0) {
      const c = todo.pop() as Capability;
      out.add(c);
      todo.push(...this.children(c));
    }
    return out;
  }

  delete(cap: Capability): void {
    const up = this.parent.get(cap) ?? null;
    for (const c of this.children(cap)) this.parent.set(c, up);
    this.parent.delete(cap);
  }
}

type TreeOp = { kind: 'copy' | 'mint' | 'delete' | 'revoke'; pick: number } | { kind: 'send'; to: number; picks: number[] };

const PROCESSES = 3;
const treeOpArb: fc.Arbitrary<TreeOp> = fc.oneof(
  fc.record({ kind: fc.constantFrom('copy' as const, 'mint' as const, 'delete' as const, 'revoke' as const), pick: fc.nat(40) }),
  fc.record({ kind: fc.constant('send' as const), to: fc.nat(PROCESSES - 1), picks: fc.array(fc.nat(40), { minLength: 1, maxLength: 3 }) }),
);
/** One step: up to two processes each get a few ops, then the kernel runs until idle. */
const stepArb = fc.array(fc.record({ who: fc.nat(PROCESSES - 1), ops: fc.array(treeOpArb, { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 2 });

class TreeWorld {
  readonly lab = new Lab({ limits: { slots_max: 512 } });
  readonly model = new TreeModel();
  readonly control: ObjectId[] = [];
  readonly failures: string[] = [];
  transfers = 0;

  constructor() {
    const pids = [];
    for (let i = 0; i < PROCESSES; i++) {
      const label = `r${i}`;
      pids.push(this.lab.spawn(label, { receive: (ctx, m) => {
        const ops = (m.payload as { ops?: TreeOp[] } | null)?.ops;
        if (ops) for (const op of ops) this.run(ctx, this.lab.pid(label), op);
      } }));
      this.control.push(this.lab.endpoint(label, 0).id);
      this.lab.kernel.createStorage(this.lab.pid(label), i, { slot: 1 });
    }
    for (let i = 0; i < PROCESSES; i++) for (let j = 0; j < PROCESSES; j++) this.lab.grant(`r${j}`, 0, `r${i}`, { slot: 2 + j });
    for (const cap of this.live()) this.model.add(cap, cap.parent);
    this.lab.kernel.startAll();
  }

  /** Every live capability: in c-lists and in queued messages. */
  live(): Capability[] {
    const out: Capability[] = [];
    for (const p of this.lab.kernel.processes()) {
      for (const [, cap] of p.cspace.entries()) out.push(cap);
      for (const m of p.inbox.toArray()) for (const cap of m.caps ?? []) if (cap.live) out.push(cap);
    }
    return out;
  }

  private run(ctx: Ctx, pid: ObjectId, op: TreeOp): void {
    const k = this.lab.kernel;
    const cspace = k.process(pid).cspace;
    const slots = ctx.slots();
    const pick = (n: number): number => slots[n % slots.length] as number;
    try {
      switch (op.kind) {
        case 'copy':
        case 'mint': {
          const source = cspace.lookup(pick(op.pick));
          const dest = op.kind === 'copy' ? ctx.copy(source.slot) : ctx.mint(source.slot, source.rights & ~2, undefined);
          this.model.add(cspace.lookup(dest), source);
          return;
        }
        case 'delete': {
          const cap = cspace.lookup(pick(op.pick));
          ctx.delete(cap.slot);
          this.model.delete(cap);
          return;
        }
        case 'revoke': {
          const cap = cspace.lookup(pick(op.pick));
          const expected = this.model.descendants(cap);
          const removed = ctx.revoke(cap.slot);
          if (removed !== expected.size) this.failures.push(`revoke removed ${removed}, the model expected ${expected.size}`);
          for (const d of expected) this.model.parent.delete(d);
          return;
        }
        case 'send': {
          const sources = op.picks.map((n) => cspace.lookup(pick(n))).filter((c) => c.object.kind !== 'reply');
          ctx.send(2 + op.to, 'caps', sources.map((c) => c.slot));
          const sent = k.current !== null && k.current.sent > 0 ? k.current.outbox(k.current.sent - 1) : undefined;
          sent?.caps?.forEach((cap, i) => this.model.add(cap, sources[i] as Capability));
          this.transfers += sources.length;
          return;
        }
      }
    } catch (err) {
      // Sends through a deleted or revoked link fail: that is part of the game.
      if (!(err instanceof Error && 'code' in err)) throw err;
    }
  }

  apply(step: { who: number; ops: TreeOp[] }[]): void {
    for (const { who, ops } of step) this.lab.kernel.inject(this.control[who] as ObjectId, { ops: ops as never });
    this.lab.kernel.run(1000);
  }

  /** Differences between the kernel's live capabilities (and their parents) and the model's. */
  differences(): string[] {
    const out = [...this.failures];
    const live = this.live();
    if (live.length !== this.model.parent.size) out.push(`kernel holds ${live.length} capabilities, the model ${this.model.parent.size}`);
    for (const cap of live) {
      if (!this.model.parent.has(cap)) out.push(`a capability to ${cap.object.id} the model does not know`);
      else if (this.model.parent.get(cap) !== cap.parent) out.push(`a capability to ${cap.object.id} hangs under another parent than in the model`);
    }
    return out;
  }
}

describe('revoke (I5)', () => {
  test('removes every descendant and nothing else, wherever the descendants are', () => {
    let revokes = 0;
    let transfers = 0;
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 5, maxLength: 40, size: 'max' }), (steps) => {
        const world = new TreeWorld();
        for (const step of steps) {
          world.apply(step);
          expect(world.differences()).toEqual([]);
          revokes += step.flatMap((s) => s.ops).filter((o) => o.kind === 'revoke').length;
        }
        transfers += world.transfers;
      }),
      propertyParams(100),
    );
    expect(revokes).toBeGreaterThan(100);
    expect(transfers).toBeGreaterThan(100);
  });

  test('the model notices a capability the kernel failed to remove (the check can fail)', () => {
    const world = new TreeWorld();
    world.apply([{ who: 0, ops: [{ kind: 'copy', pick: 1 }] }]);
    expect(world.differences()).toEqual([]);
    const [extra] = world.live().filter((c) => c.parent !== null && c.object.kind === 'storage');
    world.model.delete(extra as Capability); // as if revoke had removed it
    expect(world.differences().length).toBeGreaterThan(0);
  });
});
