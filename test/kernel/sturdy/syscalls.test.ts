/**
 * ctx.sturdy, ctx.restore and ctx.unsturdy in the kernel: exactly the saved rights and badge,
 * revocation by the maker and by a revoke of the source, typed errors for every bad token, and
 * all of it undone when the crank faults.
 */
import { describe, expect, it } from 'vitest';
import { formatToken, parseToken, READ, WRITE, type CapInfo } from '../../../kernel/index.ts';
import { bench } from './support.ts';

describe('sturdy references in the kernel', () => {
  it('restore gives exactly the rights and badge of a diminished source, to any holder of a gatekeeper', () => {
    const t = bench();
    const token = t.run(t.a, (ctx) => ctx.sturdy(ctx.mint(t.serviceSlot, READ, 42))) as string;
    expect(parseToken(token)).not.toBeNull();
    const info = t.run(t.b, (ctx) => ({ ...ctx.identify(ctx.restore(t.gateB, token)) })) as unknown as CapInfo;
    expect(info).toEqual({ kind: 'endpoint', rights: READ, badge: 42 });
    // The restored capability cannot be minted back up: rights only diminish.
    expect(t.run(t.b, (ctx) => ctx.mint(ctx.slots().at(-1) as number, READ | WRITE))).toBe('error:rights_amplification');
  });

  it('malformed, unknown and tampered tokens are refused with typed errors and give nothing', () => {
    const t = bench();
    const token = t.run(t.a, (ctx) => ctx.sturdy(t.serviceSlot)) as string;
    const parsed = parseToken(token);
    if (parsed === null) throw new Error('not a token');
    const tampered = Uint8Array.from(parsed.secret);
    tampered[0] = (tampered[0] as number) ^ 1;
    const before = t.run(t.b, (ctx) => ctx.slots().length);
    for (const [bad, code] of [
      [42, 'token_malformed'],
      ['sturdy1-1-xyz', 'token_malformed'],
      [`${token}0`, 'token_malformed'],
      [formatToken(parsed.id + 1000, parsed.secret), 'token_refused'],
      [formatToken(parsed.id, tampered), 'token_refused'],
    ] as const) {
      expect(t.run(t.b, (ctx) => ctx.restore(t.gateB, bad as string))).toBe(`error:${code}`);
    }
    expect(t.run(t.b, (ctx) => ctx.slots().length)).toBe(before);
  });

  it('restore needs a gatekeeper with r', () => {
    const t = bench();
    const token = t.run(t.a, (ctx) => ctx.sturdy(t.serviceSlot)) as string;
    expect(t.run(t.a, (ctx) => ctx.restore(t.serviceSlot, token))).toBe('error:wrong_kind');
    expect(t.run(t.b, (ctx) => ctx.restore(ctx.mint(t.gateB, WRITE), token))).toBe('error:insufficient_rights');
  });

  it('its maker revokes it; no one else can; a revoked token never resolves again', () => {
    const t = bench();
    const token = t.run(t.a, (ctx) => ctx.sturdy(t.serviceSlot)) as string;
    const kept = t.run(t.b, (ctx) => ctx.restore(t.gateB, token)) as number;
    expect(t.run(t.b, (ctx) => (ctx.unsturdy(token), 'done'))).toBe('error:insufficient_rights');
    expect(t.run(t.a, (ctx) => (ctx.unsturdy(token), 'done'))).toBe('done');
    expect(t.run(t.b, (ctx) => ctx.restore(t.gateB, token))).toBe('error:token_revoked');
    expect(t.run(t.a, (ctx) => (ctx.unsturdy(token), 'done'))).toBe('error:token_revoked');
    // What was restored before stays: a child of the source, which a revoke of it reaches.
    expect(t.run(t.b, (ctx) => ctx.identify(kept)?.kind ?? null)).toBe('endpoint');
  });

  it('a revoke of the capability it was made from revokes the token and what was restored from it', () => {
    const t = bench();
    const copy = t.run(t.a, (ctx) => ctx.copy(t.serviceSlot)) as number;
    const token = t.run(t.a, (ctx) => ctx.sturdy(copy)) as string;
    const restored = t.run(t.b, (ctx) => ctx.restore(t.gateB, token)) as number;
    const removed = t.run(t.a, (ctx) => ctx.revoke(copy)) as number;
    expect(removed).toBe(2); // the anchor and b's restored capability
    expect(t.run(t.b, (ctx) => ctx.identify(restored) === null)).toBe(true);
    expect(t.run(t.b, (ctx) => ctx.restore(t.gateB, token))).toBe('error:token_revoked');
    expect(t.kernel.sturdy.get(parseToken(token)?.id ?? 0)?.revoked).toBe(true);
  });

  it('deleting the source hands the token to its parent: it still resolves, and the parent revokes it', () => {
    const t = bench();
    const copy = t.run(t.a, (ctx) => ctx.copy(t.serviceSlot)) as number;
    const token = t.run(t.a, (ctx) => ctx.sturdy(copy)) as string;
    t.run(t.a, (ctx) => (ctx.delete(copy), null));
    expect(typeof t.run(t.b, (ctx) => ctx.restore(t.gateB, token))).toBe('number');
    t.run(t.a, (ctx) => ctx.revoke(t.serviceSlot));
    expect(t.run(t.b, (ctx) => ctx.restore(t.gateB, token))).toBe('error:token_revoked');
  });

  it('a crank that faults takes back the token it made and the unsturdy it did', () => {
    const t = bench();
    let made = '';
    t.run(t.a, (ctx) => {
      made = ctx.sturdy(t.serviceSlot);
      throw new Error('boom');
    });
    expect(t.kernel.sturdy.size).toBe(0);
    t.kernel.restartProcess(t.a);
    expect(t.run(t.b, (ctx) => ctx.restore(t.gateB, made))).toBe('error:token_refused');
    const token = t.run(t.a, (ctx) => ctx.sturdy(t.serviceSlot)) as string;
    t.kernel.takeChanges();
    t.run(t.a, (ctx) => {
      ctx.unsturdy(token);
      throw new Error('boom');
    });
    expect(t.kernel.takeChanges().sturdy.size).toBe(0);
    expect(typeof t.run(t.b, (ctx) => ctx.restore(t.gateB, token))).toBe('number');
  });

  it('the store capability has no sturdy form; an empty slot has none either', () => {
    const t = bench();
    expect(t.run(t.a, (ctx) => ctx.sturdy(0))).toBe('error:wrong_kind');
    expect(t.run(t.a, (ctx) => ctx.sturdy(999))).toBe('error:empty_slot');
  });

  it('the trace names a token by its id and never shows its secret, also when a program logs it', () => {
    const t = bench({ trace: 'full' });
    const lines: string[] = [];
    t.kernel.trace.sink = (_e, line) => lines.push(line);
    const token = t.run(t.a, (ctx) => {
      const made = ctx.sturdy(t.serviceSlot);
      ctx.log(`my token is ${made}`);
      return made;
    }) as string;
    t.run(t.b, (ctx) => {
      ctx.restore(t.gateB, token);
      throw new Error(`leaking ${token}`);
    });
    const secret = token.split('-')[2] as string;
    const all = lines.join('\n');
    expect(all).toContain(`"ev":"sturdy","pid":${t.a},"op":"make","token":${parseToken(token)?.id}`);
    expect(all).toContain('<secret>');
    expect(all).not.toContain(secret);
  });

  it('a secret is 128 bits and two tokens never share one', () => {
    const t = bench();
    const tokens = [0, 1, 2, 3].map(() => t.run(t.a, (ctx) => ctx.sturdy(t.serviceSlot)) as string);
    const secrets = tokens.map((tk) => parseToken(tk)?.secret);
    for (const s of secrets) expect(s?.length).toBe(16);
    expect(new Set(tokens.map((tk) => tk.split('-')[2])).size).toBe(4);
  });
});

describe('sturdy references in the kernel state', () => {
  it('export and import keep every token, its anchor in the tree, and what was restored from it', async () => {
    const { exportState, importState, stateHash } = await import('../../../kernel/index.ts');
    const t = bench();
    const copy = t.run(t.a, (ctx) => ctx.copy(t.serviceSlot)) as number;
    const token = t.run(t.a, (ctx) => ctx.sturdy(ctx.mint(copy, READ, 5))) as string;
    t.run(t.b, (ctx) => ctx.restore(t.gateB, token));
    const revoked = t.run(t.a, (ctx) => ctx.sturdy(t.serviceSlot)) as string;
    t.run(t.a, (ctx) => (ctx.unsturdy(revoked), null));
    const state = exportState(t.kernel);
    expect(state.sturdy?.map((s) => s.revoked)).toEqual([false, true]);
    expect(JSON.stringify(state)).not.toContain(token.split('-')[2]);
    const copyOfKernel = importState(state, { programs: t.kernel.programs });
    expect(stateHash(copyOfKernel)).toBe(stateHash(t.kernel));
    // The anchor came back under the source: revoking the source still reaches the token.
    const anchor = copyOfKernel.sturdy.get(parseToken(token)?.id ?? 0)?.anchor;
    expect(anchor?.parent?.object.kind).toBe('endpoint');
    expect(anchor?.firstChild?.rights).toBe(READ);
  });
});

describe('redaction', () => {
  it('blanks whole secrets and secrets cut short, in text and in plain data', async () => {
    const { redactData, redactTokens } = await import('../../../kernel/index.ts');
    const secret = '0123456789abcdef0123456789abcdef';
    expect(redactTokens(`a sturdy1-12-${secret} b`)).toBe('a sturdy1-12-<secret> b');
    expect(redactTokens(`cut: sturdy1-12-${secret.slice(0, 9)}…`)).toBe('cut: sturdy1-12-<secret>…');
    expect(redactData({ list: [`sturdy1-3-${secret}`, 4], n: null })).toEqual({ list: ['sturdy1-3-<secret>', 4], n: null });
  });
});
