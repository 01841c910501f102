/**
 * Real crashes of a whole System: the child (system-crash-child.ts) runs the counter example on
 * classic-level for a real run, syncing every `syncEvery`-th commit; the parent SIGKILLs it at a
 * random moment, then checks the folder: every record verifies and the store's account matches
 * it, a boot of it reports no violated invariant, and the count restored is the last
 * acknowledged one or the one in flight.
 *
 * What the store is held to: EVERY acknowledged commit, synced or not, survives the kill. A
 * process kill leaves the OS running, and a real run hands each commit to LevelDB as it is made
 * (unsynced ones sit in the OS's cache), so syncing less often must lose nothing here; only a
 * power loss could. (I1 for a kill; I2: nothing half-done.) Used by check-crash.test.ts and
 * system-crash-campaign.ts, with syncEvery 1 and 4.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLES } from '../../../examples/index.ts';
import { System, violations } from '../../../restart-agent/index.ts';
import { openStore, verifyStore } from '../../../store/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const child = join(here, 'system-crash-child.ts');

/** Runs the child on `dir`, kills it `delayMs` after its start line, returns the last acknowledged count. */
export async function runAndKillSystem(dir: string, delayMs: number, seed: number, syncEvery = 1): Promise<number> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, String(seed), String(syncEvery)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let last = -1;
  let buffered = '';
  let stderr = '';
  let started!: () => void;
  const up = new Promise<void>((resolve) => (started = resolve));
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const m = /^(start|ack) (-?\d+)$/.exec(line);
      if (m === null) continue;
      last = Number(m[2]);
      started();
    }
  });
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => proc.on('exit', (code, signal) => resolve(signal ?? code)));
  const first = await Promise.race([up.then(() => 'up'), exited.then(() => 'exit')]);
  if (first === 'exit') throw new Error(`the system crash child exited before it started:\n${stderr}`);
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  proc.kill('SIGKILL');
  const how = await exited;
  if (how !== 'SIGKILL') throw new Error(`the system crash child ended with ${String(how)} before the kill:\n${stderr}`);
  return last;
}

/** Checks the folder after a kill; returns the count restored. */
export async function checkSystemAfterKill(dir: string, lastAck: number): Promise<number> {
  const store = await openStore({ path: dir, create: false });
  try {
    const report = await verifyStore(store);
    if (report.problems.length > 0) throw new Error(`not whole after a kill: ${JSON.stringify(report.problems)}`);
  } finally {
    await store.close();
  }
  const spec = EXAMPLES['counter'];
  if (spec === undefined) throw new Error('no counter example');
  const { system, report } = await System.open({ spec, store: { backend: 'classic', path: dir } });
  try {
    const broken = violations(report.invariants);
    if (broken.length > 0) throw new Error(`the boot after a kill reports: ${broken.join('; ')}`);
    if (report.quarantined.length > 0 || report.lostRefs.length > 0) throw new Error(`the boot after a kill quarantined or lost something: ${JSON.stringify([report.quarantined, report.lostRefs])}`);
    const counter = [...system.kernel.processes()].find((p) => p.program === 'counter');
    const count = (counter?.state as { count: number } | undefined)?.count ?? -1;
    // Acknowledged means handed to LevelDB (synced or not): it must be there; at most the crank in flight beyond it.
    if (count < lastAck) throw new Error(`count ${lastAck} was acknowledged, but the restart found ${count}`);
    if (count > lastAck + 1) throw new Error(`the restart found count ${count}, more than one crank past the last acknowledged ${lastAck}`);
    return count;
  } finally {
    await system.close();
  }
}
