/**
 * The restart report's I4 and I5 verdicts look at sturdy references too: an anchor with more
 * than its token was made with, or a revoked token with something left to resolve to, is named.
 */
import { describe, expect, it } from 'vitest';
import { READ, WRITE } from '../../../kernel/index.ts';
import { checkNoAmplification, checkRevocation } from '../../../restart-agent/invariants.ts';
import { Observer } from '../../../restart-agent/observer.ts';
import { bench } from '../../kernel/sturdy/support.ts';

describe('I4 and I5 verdicts on sturdy references', () => {
  it('name an anchor that grew and a revoked token that still resolves', () => {
    const t = bench();
    t.run(t.a, (ctx) => ctx.sturdy(ctx.mint(t.serviceSlot, READ, 3)));
    const [entry] = [...t.kernel.sturdy.values()];
    if (entry?.anchor == null) throw new Error('no anchor');
    expect(checkNoAmplification(t.kernel)).toBe('ok');
    expect(checkRevocation(t.kernel, new Observer())).toBe('ok');
    entry.anchor.rights = READ | WRITE;
    expect(checkNoAmplification(t.kernel)).toMatch(/^sturdy reference \d+ resolves to .* rights 3, badge 3\), but was made for .* rights 1, badge 3\)$/);
    entry.anchor.rights = READ;
    entry.revoked = true;
    expect(checkRevocation(t.kernel, new Observer())).toMatch(/^sturdy reference \d+ is revoked but still has something to resolve to$/);
  });
});
