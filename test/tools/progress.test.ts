/** The progress helper draws on a terminal only, never into a pipe, under --json or on a dumb terminal. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progress, progressWanted } from '../../tools/cli/progress.ts';

/** A stream that says whether it is a terminal, and keeps what was written to it. */
function fakeStream(isTTY: boolean): PassThrough & { isTTY: boolean; columns: number; written: () => string } {
  const chunks: string[] = [];
  const s = Object.assign(new PassThrough(), { isTTY, columns: 80, written: () => chunks.join('') });
  s.on('data', (d: Buffer) => chunks.push(d.toString()));
  return s;
}

describe('progressWanted', () => {
  it('is true only on a terminal that is not dumb and when the caller allows it', () => {
    expect(progressWanted({ isTTY: true })).toBe(true);
    expect(progressWanted({ isTTY: true, enabled: true, term: 'xterm-256color' })).toBe(true);
    expect(progressWanted({ isTTY: false })).toBe(false);
    expect(progressWanted({ isTTY: undefined })).toBe(false);
    expect(progressWanted({ isTTY: true, enabled: false })).toBe(false);
    expect(progressWanted({ isTTY: true, term: 'dumb' })).toBe(false);
  });
});

describe('progress', () => {
  it('writes nothing into a pipe, and its methods are safe to call', async () => {
    const pipe = fakeStream(false);
    const bar = progress({ total: 10, label: 'cranks', stream: pipe });
    expect(bar.shown).toBe(false);
    bar.tick(5);
    bar.stop();
    await new Promise((r) => setImmediate(r));
    expect(pipe.written()).toBe('');
  });

  it('writes nothing when the caller disables it (--json), even on a terminal', async () => {
    const tty = fakeStream(true);
    const bar = progress({ total: 10, label: 'cranks', enabled: false, stream: tty });
    expect(bar.shown).toBe(false);
    bar.tick(3);
    bar.stop();
    await new Promise((r) => setImmediate(r));
    expect(tty.written()).toBe('');
  });

  it('draws on a terminal, counts ticks up to the total, and stops once', async () => {
    const tty = fakeStream(true);
    const previousTerm = process.env.TERM;
    process.env.TERM = 'xterm';
    try {
      const bar = progress({ total: 10, label: 'cranks', stream: tty });
      expect(bar.shown).toBe(true);
      bar.tick(4, 'halfway');
      bar.tick(100);
      bar.stop();
      bar.stop();
      await new Promise((r) => setImmediate(r));
      expect(tty.written()).toContain('cranks');
      expect(tty.written()).toContain('10/10');
    } finally {
      if (previousTerm === undefined) delete process.env.TERM;
      else process.env.TERM = previousTerm;
    }
  });
});
