/**
 * A benchmark measured in a child process of its own, kept for all of its runs: a Node process
 * whose JIT has seen only that benchmark's code, as a capsim command's process has. The
 * `_confined` rows need it: a command runs confined programs only, while by the time this
 * process reaches those rows it has run their unconfined twins, whose objects have left the
 * kernel's call sites polymorphic (the confined one-way relay measured 2.2–2.5 M/s after the
 * unconfined rows and 3.5 M/s alone, the same code). A worker thread would not do: its isolate
 * has a smaller young generation than a process's, which halved the bare loop. The value and
 * its baseline are still measured in one call, in one process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Measurement } from './harness.ts';

const ENTRY = fileURLToPath(new URL('./own-process-entry.ts', import.meta.url));

interface Answer {
  measurement?: Measurement;
  error?: string;
}

/** measure() for a spec: calls `exportName` of the module at `moduleUrl` in the benchmark's own process. */
export function inOwnProcess(moduleUrl: string, exportName: string): () => Promise<Measurement> {
  let child: ChildProcess | null = null;
  return () => {
    child ??= start(moduleUrl, exportName);
    const c = child;
    // Held open while a run is under way, released between runs.
    c.channel?.ref();
    return new Promise<Measurement>((resolve, reject) => {
      const onExit = (code: number | null): void => {
        c.off('message', onMessage);
        child = null;
        reject(new Error(`the benchmark's process exited (code ${code}) before it answered`));
      };
      const onMessage = (answer: Answer): void => {
        c.off('exit', onExit);
        c.channel?.unref();
        if (answer.measurement !== undefined) resolve(answer.measurement);
        else reject(new Error(answer.error ?? 'the benchmark process answered nothing'));
      };
      c.once('message', onMessage);
      c.once('exit', onExit);
      c.send('run');
    });
  };
}

function start(moduleUrl: string, exportName: string): ChildProcess {
  const child = fork(ENTRY, [moduleUrl, exportName], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  // Idle between runs, and ended with this process after the last: it never holds the bench open.
  child.unref();
  child.channel?.unref();
  process.once('exit', () => child.kill());
  return child;
}
