/**
 * Replay: a kernel restored from a checkpoint runs the transcript's deliveries again, each with
 * the host's inputs before it and the very IDs it drew, and each crank's digest is checked
 * against the one recorded. A crank that runs otherwise — a program changed since, a transcript
 * that is not this checkpoint's — stops the replay with a SystemError('replay_diverged') naming
 * the crank; nothing is guessed.
 */
import { KernelError, KernelUsageError, type IdAllocator, type Kernel, type ObjectId } from '../../../kernel/index.ts';
import { SystemError } from '../../system-error.ts';
import type { HostInput } from '../interface.ts';
import { crankDigest } from './digest.ts';
import type { DeliveryEntry } from './entry.ts';

export interface Replayed {
  /** The kernel crank the replay ended at. */
  kernelCrank: number;
  /** The System's clock of that crank (the checkpoint's, when nothing was replayed). */
  clock: number;
  cranks: number;
  ms: number;
  /** The chained digest after the last replayed crank. */
  digest: string;
  /** Each replayed crank's digest, by kernel crank. */
  digests: Map<number, string>;
}

/** Hands out exactly the IDs the live run drew, in order; asking for one more is a divergence. */
class ReplayIds implements IdAllocator {
  private queue: ObjectId[] = [];
  private at = 0;

  load(ids: readonly ObjectId[]): void {
    this.queue = [...ids];
    this.at = 0;
  }

  next(): ObjectId {
    const id = this.queue[this.at];
    if (id === undefined) throw new ReplayStop('it created more objects than it did live');
    this.at++;
    return id;
  }

  get leftOver(): number {
    return this.queue.length - this.at;
  }
}

class ReplayStop extends Error {}

/** Replays `entries` (each the kernel cranks of one step, following each other from `start.kernelCrank`+1) on `kernel`, starting the digest chain at `start.digest`. */
export function replay(kernel: Kernel, entries: readonly DeliveryEntry[], start: { kernelCrank: number; clock: number; digest: string }): Replayed {
  const started = performance.now();
  const live = kernel.allocator;
  const ids = new ReplayIds();
  kernel.allocator = ids;
  let digest = start.digest;
  let clock = start.clock;
  const digests = new Map<number, string>();
  try {
    for (const entry of entries) {
      const crank = kernel.crankCount + 1;
      try {
        for (const input of entry.inputs) applyInput(kernel, ids, input);
        ids.load(range(entry.ids.first, entry.ids.count));
        const result = kernel.step();
        if (result === null) throw new ReplayStop('nothing was runnable');
        if (ids.leftOver > 0) throw new ReplayStop(`it created ${ids.leftOver} object(s) fewer than it did live`);
        const ran = kernel.crankCount - crank + 1;
        if (ran !== entry.kernelCranks) throw new ReplayStop(`the step ran ${ran} kernel crank(s), live ${entry.kernelCranks}`);
        digest = crankDigest(kernel, result, digest);
        if (digest !== entry.digest) throw new ReplayStop(`its digest is ${digest}, the transcript recorded ${entry.digest} (p${result.pid} ${result.program}, ${result.type}${result.fault !== null ? `, faulted: ${result.fault}` : ''})`);
      } catch (error) {
        if (error instanceof ReplayStop || error instanceof KernelError || error instanceof KernelUsageError) {
          throw new SystemError('replay_diverged', `replay diverged at kernel crank ${crank} (crank ${entry.clock} of the run): ${error.message}; the programs or the transcript are not those of the run that wrote it`);
        }
        throw error;
      }
      digests.set(kernel.crankCount, digest);
      clock = entry.clock;
    }
  } finally {
    kernel.allocator = live;
  }
  // Answers to calls made before the power went: their clients were told 'indeterminate'.
  kernel.takeHostAnswers();
  return { kernelCrank: kernel.crankCount, clock, cranks: entries.length, ms: performance.now() - started, digest, digests };
}

function applyInput(kernel: Kernel, ids: ReplayIds, input: HostInput): void {
  switch (input.kind) {
    case 'inject':
      kernel.inject(input.endpoint, input.payload, input.badge);
      return;
    case 'call': {
      ids.load([input.ticket]);
      const ticket = kernel.hostCall(input.endpoint, input.payload, input.badge);
      if (ticket !== input.ticket) throw new ReplayStop(`a client's call drew ${ticket}, live ${input.ticket}`);
      return;
    }
    case 'note':
      kernel.hostNote(input.text);
      return;
    case 'idle':
      if (kernel.step() !== null) throw new ReplayStop('a step that found nothing to run live ran a crank');
      return;
  }
}

function range(first: ObjectId, count: number): ObjectId[] {
  const out: ObjectId[] = [];
  for (let i = 0; i < count; i++) out.push(first + i);
  return out;
}
