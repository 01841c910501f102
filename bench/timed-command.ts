/**
 * How long `node ARGS...` takes from spawn to exit, in milliseconds, run from the project root
 * with its output dropped: the benchmarks of what a user waits for at the command line. A
 * command that fails is an error naming it and the first line it printed to stderr.
 */
import { spawnSync } from 'node:child_process';
import { projectPath } from '../tools/runtime/project-root.ts';

export function commandMs(args: readonly string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: projectPath(), stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${String(r.status)}: ${r.stderr.toString().split('\n')[0] ?? ''}`);
  return ms;
}
