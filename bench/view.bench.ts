/**
 * view.seek_ms: what the viewer pays to jump to a random position of a 100,000-crank run —
 * the frame the page draws there (the kernel rebuilt from the nearest keyframe by replaying up
 * to K cranks, the graph marked against the position before, processes, trace, space-time
 * window) — beside the same frame at keyframe positions, where nothing is replayed.
 * Ratio = the cost of rewinding by determinism over a frame that needs no replay.
 */
import { EXAMPLES } from '../examples/index.ts';
import type { SystemSpec } from '../kernel/index.ts';
import { frameAt } from '../tools/view/frame.ts';
import { Recording } from '../tools/view/recording.ts';
import type { BenchmarkSpec } from './harness.ts';

const POSITIONS = 100_000;
/** The viewer's default keyframe interval (capsim view --keyframe-every). */
const KEYFRAME_EVERY = 200;
const JUMPS = 25;

let recorded: Promise<Recording> | null = null;

/** ping-pong fed ticks for as long as the run lasts, recorded once for every run of the benchmark. */
function recording(): Promise<Recording> {
  const base = EXAMPLES['ping-pong'] as SystemSpec;
  const spec: SystemSpec = { ...base, input: () => ({ to: 'back', payload: 'tick' }) };
  recorded ??= Recording.record({ spec, seed: 1, model: 'explicit', syncEvery: 4, checkpointEvery: 100, positions: POSITIONS, keyframeEvery: KEYFRAME_EVERY, pulls: [], verify: false });
  return recorded;
}

/** Positions drawn by a fixed linear congruential sequence: every run jumps to the same ones. */
function positions(last: number, seed: number): number[] {
  const out: number[] = [];
  let x = seed;
  for (let i = 0; i < JUMPS; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push(1 + (x % last));
  }
  return out;
}

function meanMs(rec: Recording, at: readonly number[]): number {
  const start = process.hrtime.bigint();
  for (const pos of at) frameAt(rec, pos);
  return Number(process.hrtime.bigint() - start) / 1e6 / at.length;
}

let run = 0;

export const benchmarks: BenchmarkSpec[] = [
  {
    name: 'view.seek_ms',
    unit: 'ms',
    baselineLabel: 'the frame at a keyframe (no replay)',
    target: '< 100 ms',
    async measure() {
      const rec = await recording();
      if (rec.last !== POSITIONS) throw new Error(`the run stopped at ${rec.last} of ${POSITIONS} positions: ${rec.stoppedEarly}`);
      const random = positions(rec.last, ++run);
      const keyframes = random.map((p) => Math.min(rec.last, Math.floor(p / KEYFRAME_EVERY) * KEYFRAME_EVERY + KEYFRAME_EVERY));
      return { value: meanMs(rec, random), baseline: meanMs(rec, keyframes) };
    },
  },
];
