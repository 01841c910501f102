/**
 * `capsim verify --store DIR` — checks a store without changing it: every value against its
 * checksum, every record kind against the store's account, the store against its witness, the
 * marks of the system it holds, and its blocks. Each problem is named with its kind; exit 1 if
 * there is any. A store this process may not write is verified from a copy.
 */
import { DEFAULT_STORE_DIR, storeFolder } from '../locate.ts';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { auditStore, type AuditProblemKind, type StoreAudit } from '../../../restart-agent/index.ts';
import { openExistingStore } from '../open-existing.ts';
import { CommandFailed } from '../errors.ts';
import { dim, green, printJson, red } from '../output.ts';

/** How each kind of problem reads in the listing. */
export const PROBLEM_LABELS: Record<AuditProblemKind, string> = {
  damaged: 'damaged value',
  missing_or_extra: 'missing or extra record',
  rolled_back: 'rolled back',
  no_account: 'no account',
  missing_mark: 'missing mark',
  missing_block: 'checkpoint needs a missing block',
  orphan_block: 'orphan block',
};

/** Opens the folder for inspection (nothing is written) and audits it. */
export async function verifyFolder(path: string): Promise<StoreAudit> {
  const store = await openExistingStore(path, { inspect: true });
  try {
    return await auditStore(store);
  } finally {
    await store.close();
  }
}

export function formatAudit(audit: StoreAudit): string[] {
  const lines = audit.problems.map((p) => `${red(PROBLEM_LABELS[p.kind])}  ${p.record}: ${p.reason}`);
  for (const note of audit.notes) lines.push(dim(`note: ${note}`));
  const witness = audit.witnessed === null ? 'no witness' : `witness at commit ${audit.witnessed}`;
  if (audit.problems.length === 0) lines.push(`${green('ok')}: ${audit.records} records, ${audit.commits} commits accounted for (${witness}), nothing damaged, missing or rolled back`);
  else lines.push(`${audit.problems.length} problem(s) in ${audit.records} records (${audit.commits} commits in the account, ${witness})`);
  return lines;
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('check a store without changing it: values, the account of its records, its witness, its marks and blocks; name every problem')
    .option('--store <dir>', `store folder (default ${DEFAULT_STORE_DIR}, where npm start leaves its store)`, DEFAULT_STORE_DIR)
    .option('--json', 'print the result as JSON')
    .action(async (opts: { store: string; json?: boolean }) => {
      const audit = await verifyFolder(storeFolder(opts.store));
      if (opts.json) printJson(audit);
      else process.stdout.write(`${formatAudit(audit).join('\n')}\n`);
      if (audit.problems.length > 0) throw new CommandFailed(`${audit.problems.length} problem(s) in ${opts.store}`);
    });
}
