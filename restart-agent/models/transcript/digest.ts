/**
 * A crank's digest, chained from the checkpoint on: what a replayed crank is checked against.
 * The kernel's state hash (kernel/state.ts) exports the whole kernel — far too much per crank —
 * so the digest takes what a crank can change and cheaply read: the trace's running hash (every
 * event of the crank, when tracing is on), the crank's outcome, the message and crank counters,
 * the generator's state, the object count, and the receiving process's status and new state.
 * Two runs that agree on all of them crank by crank have run the same deliveries the same way;
 * a full state hash at the end (transcript.ts, I10 after replay) checks the rest.
 */
import { createHash } from 'node:crypto';
import type { CrankResult, Kernel } from '../../../kernel/index.ts';

/** The digest the chain starts from at a checkpoint taken at kernel crank `kernelCrank`. */
export function chainStart(kernelCrank: number): string {
  return `checkpoint@${kernelCrank}`;
}

export function crankDigest(kernel: Kernel, result: CrankResult, previous: string): string {
  const p = kernel.objects.get(result.pid);
  const receiver = p?.kind === 'process' ? [p.status, p.alive, p.generation, p.state] : null;
  const parts = [previous, result.crank, result.pid, result.type, result.fault, kernel.crankCount, kernel.messageSeq, kernel.objects.size, kernel.trace.hash, kernel.rng.getState(), receiver];
  return createHash('sha1').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}
