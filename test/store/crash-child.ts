/**
 * The child of the real crash test: commits numbered batches to a classic-level store with
 * sync, printing "ack N" after each commit resolves, until it is killed. Batch N writes the head
 * record (storage 1, version N) and RECORDS_PER_BATCH records stamped N, so that a batch there
 * in part would show. It resumes after the head it finds.
 *
 * usage: node --import tsx test/store/crash-child.ts DIR
 */
import { openStore } from '../../store/index.ts';
import { BATCHES_MAX, HEAD_ID, RECORDS_PER_BATCH, recordId } from './crash-layout.ts';

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: crash-child.ts DIR\n');
  process.exit(2);
}
const store = await openStore({ path: dir });
const head = await store.storage.get(HEAD_ID);
const start = head === undefined ? 1 : head.version + 1;
// stdout to a pipe is synchronous on Linux: a printed ack is in the pipe before the next commit.
process.stdout.write(`start ${start}\n`);
for (let n = start; n < start + BATCHES_MAX; n++) {
  const tx = store.begin();
  tx.putStorage({ id: HEAD_ID, version: n, data: null });
  for (let j = 0; j < RECORDS_PER_BATCH; j++) tx.putStorage({ id: recordId(n, j), version: n, data: new Uint8Array(200).fill(n & 0xff) });
  await store.commit(tx, { sync: true });
  process.stdout.write(`ack ${n}\n`);
}
await store.close();
