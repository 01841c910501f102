/**
 * Heap in use after forced full collections, so a memory figure counts what is live and not
 * what the collector has yet to reclaim. `gc` is reached through v8 flags set at run time,
 * so `npm run bench` needs no node options.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function heapUsedAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}
