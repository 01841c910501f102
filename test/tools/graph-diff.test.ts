/**
 * `graph --diff` across a power loss and restart: it must say "no change" only when nothing the
 * graph shows changed. Judged against the two kernels themselves (the one the power loss ended
 * and the one the restart booted), on the examples and crank counts where it used to say "no
 * change" every time.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../examples/index.ts';
import type { Kernel } from '../../kernel/index.ts';
import { System } from '../../restart-agent/index.ts';
import { MemoryDisk } from '../../store/index.ts';
import { diffAcrossPowerLoss, isEmptyDiff, renderDiffText } from '../../tools/graph/index.ts';
import { runCapsim } from '../support/cli.ts';

const SYSTEMS = ['bank', 'ping-pong', 'boot-chain', 'flood', 'file-server'];
const CRANKS = [3, 10, 25, 60];

/** Per live process: its status, state and queue, and its capabilities by target kind, rights and badge. */
function look(kernel: Kernel): Map<number, string> {
  const out = new Map<number, string>();
  for (const p of kernel.processes()) {
    if (!p.alive) continue;
    // A store object is renewed by every boot: a process's own store is "store", whatever its ID.
    const caps = [...p.cspace.entries()].map(([, c]) => `${c.object.kind === 'store' ? 'store' : c.object.id}/${c.rights}/${c.badge}`).sort();
    out.set(p.id, JSON.stringify([p.status, p.state, p.inbox.length, caps]));
  }
  return out;
}

function sameLook(a: Map<number, string>, b: Map<number, string>): boolean {
  return a.size === b.size && [...a].every(([id, v]) => b.get(id) === v);
}

describe('graph diff across a power loss', () => {
  it.each(SYSTEMS)('%s: the diff is empty exactly when the restart changed nothing it shows', async (name) => {
    const spec = EXAMPLES[name];
    if (spec === undefined) throw new Error(`no example ${name}`);
    let changed = 0;
    for (const cranks of CRANKS) {
      // As `capsim graph --diff` runs it by default: every 4th commit synced, no unsynced batch kept.
      const system = await System.create({ spec, store: { backend: 'memory', disk: new MemoryDisk() }, seed: 1, syncEvery: 4 });
      await system.run(cranks);
      const old = look(system.kernel);
      const { diff, before, after } = await diffAcrossPowerLoss(system, 0);
      const now = look(system.kernel);
      await system.close();
      const text = renderDiffText(diff, before, after);
      expect(isEmptyDiff(diff), `${name} after ${cranks} cranks:\n${text}`).toBe(sameLook(old, now));
      if (!isEmptyDiff(diff)) changed++;
    }
    // Under the explicit model every process starts anew from its command line: states reset.
    expect(changed, name).toBeGreaterThan(0);
  });

  it('capsim graph bank --diff --cranks 3 shows the teller losing its unsynced key, and its state', async () => {
    const r = await runCapsim(['graph', 'bank', '--diff', '--cranks', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("- edge p3 teller -> endpoint 5 'bank-service' of p1 [rw- badge 7]");
    expect(r.stdout).toMatch(/~ p3 teller: status waiting -> ready, state \{"deposits":1,"refused":0\} -> \{"deposits":0,"refused":0\}/);
    expect(r.stdout).not.toMatch(/^no change/);
  });

  it('--sync-every 1 leaves a power loss no commit to take: the edges stay, the states still restart', async () => {
    // 14 cranks: past the customer's ten deposits, to the teller's first.
    const r = await runCapsim(['graph', 'bank', '--diff', '--cranks', '14', '--sync-every', '1', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as { edgesRemoved: unknown[]; processesChanged: { label: string; state?: string[] }[] };
    expect(d.edgesRemoved).toEqual([]);
    expect(d.processesChanged.map((c) => c.label)).toContain('p3 teller');
  });
});
