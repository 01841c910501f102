import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RUNS,
  formatTable,
  median,
  opsPerSecond,
  runBenchmarks,
  toJsonRows,
  type BenchmarkSpec,
  type BenchResult,
  type Measurement,
} from '../../bench/harness.ts';

/** A spec whose measure() returns the given measurements in turn, and records how often it ran. */
function scripted(name: string, measurements: Measurement[], extra: Partial<BenchmarkSpec> = {}): BenchmarkSpec & { calls: number } {
  const spec = {
    name,
    unit: 'ops/s',
    runs: measurements.length,
    calls: 0,
    measure(): Measurement {
      const m = measurements[spec.calls++];
      if (m === undefined) throw new Error(`${name} ran more often than scripted`);
      return m;
    },
    ...extra,
  };
  return spec;
}

describe('median', () => {
  it('takes the middle of an odd count regardless of order', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([100, 3, 2, 1, 50])).toBe(3);
  });
  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('does not reorder its argument', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
  it('refuses an empty list', () => {
    expect(() => median([])).toThrow(/no values/);
  });
});

describe('opsPerSecond', () => {
  it('converts nanoseconds to a per-second rate', () => {
    expect(opsPerSecond(1000, 500_000_000n)).toBe(2000);
    expect(opsPerSecond(3, 1_000_000_000n)).toBe(3);
  });
  it('refuses a zero elapsed time instead of returning Infinity', () => {
    expect(() => opsPerSecond(10, 0n)).toThrow(/positive/);
  });
});

describe('runBenchmarks', () => {
  it('reports medians of value and baseline, and the ratio of those medians', async () => {
    const spec = scripted('x.rate', [
      { value: 10, baseline: 100 },
      { value: 30, baseline: 20 },
      { value: 20, baseline: 50 },
    ]);
    const [r] = await runBenchmarks([spec]);
    expect(r).toMatchObject({ name: 'x.rate', value: 20, baseline: 50, runs: 3, unit: 'ops/s', baselineLabel: null });
    expect(r?.ratio).toBeCloseTo(0.4, 12);
    expect(r?.error).toBeUndefined();
  });

  it('takes the ratio of the medians, not the median of per-run ratios', async () => {
    // Per-run ratios 0.01, 2, 1 -> median 1; medians 2 / 10 -> 0.2.
    const spec = scripted('x.skew', [
      { value: 1, baseline: 100 },
      { value: 2, baseline: 1 },
      { value: 10, baseline: 10 },
    ]);
    const [r] = await runBenchmarks([spec]);
    expect(r?.value).toBe(2);
    expect(r?.baseline).toBe(10);
    expect(r?.ratio).toBeCloseTo(0.2, 12);
  });

  it('leaves baseline and ratio null when the benchmark has no baseline', async () => {
    const [r] = await runBenchmarks([scripted('x.bytes', [{ value: 150, baseline: null }], { unit: 'bytes' })]);
    expect(r).toMatchObject({ value: 150, baseline: null, ratio: null, unit: 'bytes', runs: 1 });
  });

  it('gives no ratio against a zero baseline rather than Infinity', async () => {
    const [r] = await runBenchmarks([scripted('x.zero', [{ value: 5, baseline: 0 }])]);
    expect(r?.baseline).toBe(0);
    expect(r?.ratio).toBeNull();
  });

  it('runs DEFAULT_RUNS times when the spec says nothing, and the override wins over the spec', async () => {
    let calls = 0;
    const counting: BenchmarkSpec = { name: 'x.count', unit: 'ms', measure: () => ({ value: ++calls, baseline: null }) };
    const [byDefault] = await runBenchmarks([counting]);
    expect(calls).toBe(DEFAULT_RUNS);
    expect(byDefault?.runs).toBe(DEFAULT_RUNS);
    calls = 0;
    const [overridden] = await runBenchmarks([{ ...counting, runs: 9 }], { runs: 2 });
    expect(calls).toBe(2);
    expect(overridden).toMatchObject({ runs: 2, value: 1.5 });
  });

  it('awaits asynchronous measurements', async () => {
    const spec: BenchmarkSpec = {
      name: 'x.async',
      unit: 'ms',
      runs: 1,
      measure: async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return { value: 42, baseline: 21 };
      },
    };
    const [r] = await runBenchmarks([spec]);
    expect(r).toMatchObject({ value: 42, baseline: 21, ratio: 2 });
  });

  it('turns a throwing benchmark into an error row and still runs the ones after it', async () => {
    const boom = scripted('x.boom', [{ value: 1, baseline: null }], {
      runs: 3,
      measure() {
        if (boom.calls++ === 1) throw new Error('out of disk');
        return { value: 1, baseline: null };
      },
    });
    const after = scripted('x.after', [{ value: 3, baseline: null }]);
    const results = await runBenchmarks([boom, after]);
    expect(results[0]).toMatchObject({ name: 'x.boom', error: 'out of disk', runs: 1, baseline: null, ratio: null });
    expect(results[0]?.value).toBeNaN();
    expect(boom.calls).toBe(2); // stopped at the failing run
    expect(results[1]).toMatchObject({ name: 'x.after', value: 3 });
    expect(results[1]?.error).toBeUndefined();
  });

  it('rejects malformed measurements as errors, naming what was wrong', async () => {
    const results = await runBenchmarks([
      scripted('x.nan', [{ value: Number.NaN, baseline: null }]),
      scripted('x.inf', [{ value: 1, baseline: Number.POSITIVE_INFINITY }]),
      scripted('x.mixed', [
        { value: 1, baseline: 2 },
        { value: 1, baseline: null },
      ]),
    ]);
    expect(results.map((r) => r.error)).toEqual([
      'measure() returned value NaN',
      'measure() returned baseline Infinity',
      'measure() returned a baseline in some runs only',
    ]);
  });

  it('rejects an impossible run count without calling measure()', async () => {
    const spec = scripted('x.none', [], { runs: 0 });
    const [r] = await runBenchmarks([spec]);
    expect(r?.error).toMatch(/runs must be an integer/);
    expect(spec.calls).toBe(0);
  });

  it('reports progress before each run, counting from 1', async () => {
    const seen: string[] = [];
    await runBenchmarks(
      [scripted('a', [{ value: 1, baseline: null }, { value: 1, baseline: null }]), scripted('b', [{ value: 1, baseline: null }])],
      { onProgress: (name, run, runs) => seen.push(`${name} ${run}/${runs}`) },
    );
    expect(seen).toEqual(['a 1/2', 'a 2/2', 'b 1/1']);
  });

  it('carries the label and target through to the result', async () => {
    const [r] = await runBenchmarks([
      scripted('x.t', [{ value: 1, baseline: 1 }], { baselineLabel: 'raw batch', target: '>= 0.8 of baseline' }),
    ]);
    expect(r).toMatchObject({ baselineLabel: 'raw batch', target: '>= 0.8 of baseline' });
  });
});

function result(partial: Partial<BenchResult> & { name: string }): BenchResult {
  return { value: 1, unit: 'ops/s', baseline: null, ratio: null, baselineLabel: null, runs: 5, ...partial };
}

describe('formatTable', () => {
  const rows: BenchResult[] = [
    result({ name: 'ipc.oneway_per_s', value: 3_492_123, baseline: 8_393_456, ratio: 0.41607, baselineLabel: 'bare loop', target: '>= 0.1 of baseline' }),
    result({ name: 'memory.bytes_per_slot', value: 152.415, unit: 'bytes', runs: 1 }),
    result({ name: 'store.commit_per_s', value: Number.NaN, runs: 2, error: 'disk on fire' }),
  ];
  const table = formatTable(rows);
  const lines = table.split('\n');

  it('has a header and one aligned line per measured benchmark, in order', () => {
    expect(lines[0]).toMatch(/^benchmark\s+value\s+unit\s+baseline\s+ratio\s+runs\s+baseline is\s+target$/);
    expect(lines[2]?.startsWith('ipc.oneway_per_s')).toBe(true);
    expect(lines[3]?.startsWith('memory.bytes_per_slot')).toBe(true);
    // Right-aligned numbers: the value column ends at the same place in every row.
    const end = (line: string, text: string): number => line.indexOf(text) + text.length;
    expect(end(lines[2] as string, '3,492,000')).toBe(end(lines[3] as string, '152.4'));
  });

  it('shows figures to four significant digits, the ratio to three, and dashes where no baseline applies', () => {
    expect(lines[2]).toContain('8,393,000');
    expect(lines[2]).toContain('0.416');
    expect(lines[2]).toContain('bare loop');
    expect(lines[2]).toContain('>= 0.1 of baseline');
    expect(lines[3]).toMatch(/152\.4\s+bytes\s+-\s+-\s+1\s+-$/);
  });

  it('lists a failed benchmark with its name and message, and not as a row of figures', () => {
    expect(table).toContain('store.commit_per_s  FAILED: disk on fire');
    expect(table).not.toContain('NaN');
  });

  it('states the ratio convention', () => {
    expect(table).toContain('ratio = median(value) / median(baseline)');
  });

  it('says so when there is nothing to show', () => {
    expect(formatTable([])).toBe('no benchmarks ran\n');
  });
});

describe('toJsonRows', () => {
  it('keeps exactly name, value, unit, baseline, ratio and drops failed benchmarks', () => {
    const json = toJsonRows([
      result({ name: 'a', value: 2, baseline: 4, ratio: 0.5, baselineLabel: 'x', target: 't' }),
      result({ name: 'b', value: Number.NaN, error: 'boom' }),
    ]);
    expect(json).toEqual([{ name: 'a', value: 2, unit: 'ops/s', baseline: 4, ratio: 0.5 }]);
    expect(Object.keys(json[0] ?? {})).toEqual(['name', 'value', 'unit', 'baseline', 'ratio']);
  });
});
