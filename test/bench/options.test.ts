import { describe, expect, it } from 'vitest';
import { duplicateNames, filterByPrefix, parseArgs } from '../../bench/options.ts';

describe('parseArgs', () => {
  it('defaults to a table of every benchmark at its own run count', () => {
    expect(parseArgs([])).toEqual({ kind: 'run', options: { json: false, only: [], runs: null } });
  });

  it('collects --only from repeats, commas and the --flag=value form, dropping empty pieces', () => {
    const parsed = parseArgs(['--only', 'ipc.,store', '--json', '--only=restart.', '--only', 'a,,b']);
    expect(parsed).toEqual({ kind: 'run', options: { json: true, only: ['ipc.', 'store', 'restart.', 'a', 'b'], runs: null } });
  });

  it('reads --runs in both forms', () => {
    expect(parseArgs(['--runs', '3'])).toMatchObject({ options: { runs: 3 } });
    expect(parseArgs(['--runs=7'])).toMatchObject({ options: { runs: 7 } });
  });

  it.each([
    [['--runs', '0'], /--runs needs a whole number/],
    [['--runs', '2.5'], /--runs needs a whole number/],
    [['--runs', 'lots'], /--runs needs a whole number/],
    [['--runs', '100000'], /--runs needs a whole number/],
    [['--runs'], /got nothing/],
    [['--only'], /--only needs a benchmark name prefix/],
    [['--only', '--json'], /--only needs a benchmark name prefix/],
    [['--only', ','], /--only needs a benchmark name prefix/],
    [['--json=yes'], /--json takes no value/],
    [['--jsn'], /unknown argument "--jsn"/],
    [['ipc'], /unknown argument "ipc"/],
  ])('rejects %j with one clear message', (argv, message) => {
    const parsed = parseArgs(argv);
    expect(parsed.kind).toBe('error');
    if (parsed.kind === 'error') {
      expect(parsed.message).toMatch(message);
      expect(parsed.message).not.toContain('\n');
    }
  });

  it('answers --help and -h with the usage', () => {
    expect(parseArgs(['--json', '--help'])).toEqual({ kind: 'help' });
    expect(parseArgs(['-h'])).toEqual({ kind: 'help' });
  });
});

describe('filterByPrefix', () => {
  const specs = [{ name: 'ipc.oneway_per_s' }, { name: 'store.commit_per_s' }, { name: 'ipc.call_reply_per_s' }, { name: 'restart.1k_ms' }];

  it('keeps everything when no prefix is given', () => {
    expect(filterByPrefix(specs, [])).toEqual(specs);
  });

  it('keeps names starting with any prefix, in the original order', () => {
    expect(filterByPrefix(specs, ['restart', 'ipc.']).map((s) => s.name)).toEqual([
      'ipc.oneway_per_s',
      'ipc.call_reply_per_s',
      'restart.1k_ms',
    ]);
  });

  it('matches on the start of the name only, and exactly', () => {
    expect(filterByPrefix(specs, ['commit'])).toEqual([]);
    expect(filterByPrefix(specs, ['IPC'])).toEqual([]);
    expect(filterByPrefix(specs, ['store.commit_per_s']).map((s) => s.name)).toEqual(['store.commit_per_s']);
  });
});

describe('duplicateNames', () => {
  it('names each repeated benchmark once', () => {
    expect(duplicateNames([{ name: 'a' }, { name: 'b' }, { name: 'a' }, { name: 'a' }])).toEqual(['a']);
    expect(duplicateNames([{ name: 'a' }, { name: 'b' }])).toEqual([]);
  });
});
