/**
 * The parent side of the real crash test: spawn the child on a folder, SIGKILL it at a random
 * moment, reopen the folder and check it. Used by crash.test.ts (a few dozen kills) and by
 * crash-campaign.ts (as many as you like).
 *
 * The check: the store opens cleanly and verifies with no damage; the batches present are
 * exactly 1..H for some H, each whole (head + RECORDS_PER_BATCH records stamped with it); every
 * acknowledged batch is among them; and at most one batch beyond the last ack is (the one in
 * flight when the kill came).
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDamaged, openStore, verifyStore } from '../../store/index.ts';
import { HEAD_ID, RECORDS_PER_BATCH } from './crash-layout.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const child = join(here, 'crash-child.ts');

/** Spawns the child, kills it `delayMs` after its first ack (or after spawn if early), returns the last ack. */
export async function runAndKill(dir: string, delayMs: number, early: boolean, whileRunning?: () => Promise<void>): Promise<number> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, dir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let lastAck = 0;
  let buffered = '';
  let stderr = '';
  let firstAck!: () => void;
  const acked = new Promise<void>((resolve) => (firstAck = resolve));
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^ack (\d+)$/.exec(line);
      if (match) {
        lastAck = Math.max(lastAck, Number(match[1]));
        firstAck();
      }
    }
  });
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => proc.on('exit', (code, signal) => resolve(signal ?? code)));
  if (!early) {
    const winner = await Promise.race([acked.then(() => 'ack'), exited.then(() => 'exit')]);
    if (winner === 'exit') throw new Error(`the crash child exited before its first ack:\n${stderr}`);
    await whileRunning?.();
  }
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  proc.kill('SIGKILL');
  const how = await exited;
  if (how !== 'SIGKILL' && how !== 0) throw new Error(`the crash child ended with ${String(how)} before the kill:\n${stderr}`);
  return lastAck;
}

/**
 * Reopens the folder and checks it; `lastAck` is the highest batch known durable (acknowledged
 * in this run, or found after an earlier kill). Returns the head found.
 */
export async function checkAfterKill(dir: string, lastAck: number): Promise<number> {
  const store = await openStore({ path: dir });
  try {
    const report = await verifyStore(store);
    if (report.problems.length > 0) throw new Error(`not whole after a kill: ${JSON.stringify(report.problems)}`);
    const stamps = new Map<number, number>();
    let head = 0;
    for await (const record of store.storage.scan()) {
      if (isDamaged(record)) throw new Error(`damaged: ${record.record}`);
      if (record.id === HEAD_ID) head = record.version;
      else stamps.set(record.version, (stamps.get(record.version) ?? 0) + 1);
    }
    if (head < lastAck) throw new Error(`batch ${lastAck} was acknowledged but the head is ${head}`);
    if (head > lastAck + 1) throw new Error(`head ${head} is more than one batch past the last ack ${lastAck}`);
    if (stamps.size !== head) throw new Error(`${stamps.size} batches present, head says ${head}`);
    for (let n = 1; n <= head; n++) {
      const count = stamps.get(n) ?? 0;
      if (count !== RECORDS_PER_BATCH) throw new Error(`batch ${n} is there in part: ${count} of ${RECORDS_PER_BATCH} records`);
    }
    return head;
  } finally {
    await store.close();
  }
}
