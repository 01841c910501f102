/**
 * `npm run test:crash`: the long SIGKILL campaigns, one after the other, each given the same
 * flags (--kills N --lanes N --max-delay-ms N; CAPSIM_SEED replays): the store's (a child
 * committing to classic-level) and the System's (a child running a system, then a restart and
 * the invariants). Exit 1 if either fails.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../', import.meta.url));
const campaigns = ['test/store/crash-campaign.ts', 'test/tools/system-crash-campaign.ts'];
const flags = process.argv.slice(2);
let failed = 0;
for (const campaign of campaigns) {
  const run = spawnSync(process.execPath, ['bin/run-ts.js', campaign, ...flags], { cwd: repo, stdio: 'inherit' });
  if (run.status !== 0) {
    failed++;
    console.error(`${campaign} failed (exit ${run.status ?? run.signal})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
