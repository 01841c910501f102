/**
 * The live projection the judges compare the disk with (tools/check/projection.ts) keeps each
 * registration's text while its inputs stay the same, and each storage object's text by the
 * identity of its frozen data. Under any mix of namings, renamings, unnamings, writes and
 * mints, it must equal the projection written from scratch.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../../support/seed.ts';
import { GRANT, READ, WRITE, type Kernel } from '../../../kernel/index.ts';
import { projectKernel, stableText } from '../../../tools/check/projection.ts';
import { A_STORAGE, A_STORE, A_TO_B, pair } from '../../kernel/support/fixtures.ts';

/** The projection as the module's header defines it, with nothing kept between calls. */
function fromScratch(kernel: Kernel): Map<string, string> {
  const records = new Map<string, string>();
  for (const p of kernel.processes()) {
    if (!p.alive || p.store === null) continue;
    const names: Record<string, unknown> = {};
    for (const [name, cap] of p.named) {
      names[name] = [cap.object.kind, cap.object.id, cap.rights, cap.badge];
      if (cap.object.kind === 'storage' && cap.object.alive) records.set(`storage/${cap.object.id}`, stableText(cap.object.data));
    }
    records.set(`registration/${p.id}`, stableText({ program: p.program, args: p.args, names }));
  }
  return records;
}

const NAMES = ['x', 'y', 'z'];
const SLOTS = [A_TO_B, A_STORAGE];

describe('the live projection', () => {
  test('equals the projection written from scratch after any mix of namings, unnamings, writes and mints', async () => {
    const op = fc.oneof(
      fc.record({ register: fc.constantFrom(...NAMES), slot: fc.constantFrom(...SLOTS) }),
      fc.record({ unregister: fc.constantFrom(...NAMES) }),
      fc.record({ write: fc.oneof(fc.integer(), fc.constant({ n: 1 }), fc.array(fc.string(), { maxLength: 3 })) }),
      fc.record({ mint: fc.constantFrom(...SLOTS), rights: fc.constantFrom(READ, READ | WRITE, READ | WRITE | GRANT), badge: fc.constantFrom(0, 7) }),
    );
    await assertProperty(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const { lab, a } = pair();
        let minted: number[] = [];
        for (const o of ops) {
          lab.poke('a', (ctx) => {
            if ('register' in o) ctx.register(A_STORE, o.register, o.slot);
            else if ('unregister' in o) ctx.unregister(A_STORE, o.unregister);
            else if ('write' in o) ctx.write(A_STORAGE, o.write);
            else minted = [...minted, ctx.mint(o.mint, o.rights, o.badge)];
          });
          // The minted capability is named: the same object through another capability, its rights or badge perhaps not the same.
          if (minted.length > 0 && 'mint' in o) lab.poke('a', (ctx) => ctx.register(A_STORE, 'minted', minted[minted.length - 1] as number));
          expect(projectKernel(lab.kernel).records).toEqual(fromScratch(lab.kernel));
        }
        expect(lab.kernel.process(a).named.size).toBeLessThanOrEqual(NAMES.length + 1);
      }),
      { numRuns: 100, replay: 'npx vitest run test/tools/check/projection.test.ts' },
    );
  });
});

describe('the live projection of storage data', () => {
  test('is written afresh for data the kernel did not freeze, which may have changed since', () => {
    const { lab, storage } = pair();
    lab.poke('a', (ctx) => ctx.register(A_STORE, 's', A_STORAGE));
    const object = lab.kernel.objects.get(storage) as { data: unknown };
    const data = { n: 1 };
    object.data = data;
    expect(projectKernel(lab.kernel).records.get(`storage/${storage}`)).toBe('{"n":1}');
    data.n = 2;
    expect(projectKernel(lab.kernel).records.get(`storage/${storage}`)).toBe('{"n":2}');
  });
});
