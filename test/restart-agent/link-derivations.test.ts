import { describe, expect, it } from 'vitest';
import { Kernel, type Program } from '../../kernel/index.ts';
import { fillCLists, linkDerivations } from '../../restart-agent/boot-phases.ts';
import type { LostReference } from '../../restart-agent/report.ts';
import type { PersistentRef, Registration } from '../../store/index.ts';

const idle: Program<null> = { init: () => null, receive: () => null };
const policy = { mode: 'permanent' as const, intensity: 3, periodCranks: 100 };

function ref(capId: number, parent: number | null, target = 100): PersistentRef {
  return { target, kind: 'endpoint', rights: 3, badge: 0, capId, parent };
}

function registration(id: number, caps: Record<string, PersistentRef>): Registration {
  return { id, program: 'idle', args: [], caps, policy, generation: 0 };
}

/** Three processes; the capability chain runs a (capId 11) -> b (12) -> c (13). */
function restore(quarantineB: boolean) {
  const kernel = new Kernel({ programs: { idle } });
  const regs = [registration(1, { root: ref(11, null) }), registration(2, { mid: ref(12, 11) }), registration(3, { leaf: ref(13, 12) })];
  const restored = regs.filter((r) => !(quarantineB && r.id === 2));
  for (const r of restored) kernel.spawn('idle', [], { id: r.id });
  kernel.restoreEndpoint(100, 1);
  const lost: LostReference[] = [];
  const filled = fillCLists(kernel, restored, lost);
  linkDerivations(kernel, regs, filled);
  return { kernel, lost };
}

describe('boot phase 4: relinking the derivation tree', () => {
  it('hangs each capability under the parent its reference names', () => {
    const { kernel } = restore(false);
    const leaf = kernel.process(3).named.get('leaf');
    expect(leaf?.parent?.capId).toBe(12);
    expect(leaf?.parent?.parent?.capId).toBe(11);
  });

  it('walks past a parent that was not restored to the nearest ancestor that was', () => {
    const { kernel } = restore(true);
    const leaf = kernel.process(3).named.get('leaf');
    expect(leaf?.parent?.capId).toBe(11);
    expect(kernel.process(1).named.get('root')?.firstChild).toBe(leaf);
  });

  it('a reference to an object that was not restored becomes a lost reference, not a capability', () => {
    const kernel = new Kernel({ programs: { idle } });
    kernel.spawn('idle', [], { id: 1 });
    const lost: LostReference[] = [];
    const filled = fillCLists(kernel, [registration(1, { gone: ref(21, null, 555) })], lost);
    expect(filled.caps).toHaveLength(0);
    expect(lost).toEqual([expect.objectContaining({ pid: 1, name: 'gone', target: 555 })]);
    expect(kernel.process(1).cspace.size).toBe(0);
  });
});
