/**
 * The transcript model's restart: cranks replayed per second, beside the same cranks run live
 * under the same model in the same process. The counter example (an input, a call, a storage
 * write and a reply per tick) runs CRANKS cranks live on a memory store, one checkpoint at the
 * start and every transcript entry synced; the power goes, and the restart replays all of them,
 * checking each crank's digest. Value: replayed cranks per second (the report's replay time);
 * baseline: live cranks per second (System.run, commits of the transcript included).
 */
import { System } from '../restart-agent/index.ts';
import { MemoryDisk } from '../store/index.ts';
import { system as counter } from '../examples/counter.ts';
import { opsPerSecond, type BenchmarkSpec } from './harness.ts';

const CRANKS = 20_000;

async function replayAgainstLive(): Promise<{ value: number; baseline: number }> {
  const system = await System.create({ spec: counter, store: { backend: 'memory', disk: new MemoryDisk() }, model: 'transcript', checkpointEvery: 0, syncEvery: 1, trace: 'off', verify: false });
  try {
    const start = process.hrtime.bigint();
    const ran = await system.run(CRANKS);
    const live = opsPerSecond(ran, process.hrtime.bigint() - start);
    if (ran !== CRANKS) throw new Error(`ran ${ran} of ${CRANKS} cranks live`);
    await system.powerLoss();
    const report = await system.restart();
    const replayed = report.transcript?.replayedCranks ?? 0;
    if (replayed !== CRANKS) throw new Error(`replayed ${replayed} of ${CRANKS} cranks`);
    const ms = report.transcript?.replayMs ?? 0;
    return { value: opsPerSecond(replayed, BigInt(Math.max(1, Math.round(ms * 1e6)))), baseline: live };
  } finally {
    await system.close();
  }
}

export const benchmarks: BenchmarkSpec[] = [
  {
    name: 'restart.transcript_replay_per_s',
    unit: 'cranks/s',
    baselineLabel: 'the same cranks run live under the transcript model',
    target: '>= 0.8 of live',
    async measure() {
      return replayAgainstLive();
    },
  },
];
