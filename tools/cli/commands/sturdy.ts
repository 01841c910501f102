/**
 * `capsim sturdy list --store DIR [--json]` — the sturdy references a store holds: id, maker,
 * target, rights, badge, the crank it was made in, and whether it is revoked. Never a secret:
 * the store has only each secret's hash, and this prints not even that.
 *
 * `capsim sturdy revoke ID|TOKEN --store DIR [--json]` — an operator revokes a reference in a
 * stopped system's store (one synced batch); the next boot holds it revoked under every model.
 * A token given whole is read for its id only: the operator's authority is the store itself.
 */
import type { Command } from 'commander';
import { formatRights, parseToken } from '../../../kernel/index.ts';
import { isDamaged, type Store, type SturdyRecord } from '../../../store/index.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import { DEFAULT_STORE_DIR, storeFolder } from '../locate.ts';
import { openExistingStore } from '../open-existing.ts';
import { printJson } from '../output.ts';

export interface SturdyRow {
  id: number;
  maker: number;
  target: string;
  rights: string;
  badge: number;
  createdCrank: number;
  revoked: boolean;
}

function rowOf(r: SturdyRecord): SturdyRow {
  return { id: r.id, maker: r.maker, target: `${r.kind} ${r.target}`, rights: formatRights(r.rights), badge: r.badge, createdCrank: r.createdCrank, revoked: r.revoked };
}

async function readRows(store: Store): Promise<{ rows: SturdyRow[]; damaged: string[] }> {
  const rows: SturdyRow[] = [];
  const damaged: string[] = [];
  for await (const r of store.sturdy.scan()) {
    if (isDamaged(r)) damaged.push(`${r.record}: ${r.reason}`);
    else rows.push(rowOf(r));
  }
  return { rows, damaged };
}

function table(rows: readonly SturdyRow[]): string {
  if (rows.length === 0) return 'no sturdy references\n';
  const head = ['id', 'maker', 'target', 'rights', 'badge', 'created', 'revoked'];
  const cells = rows.map((r) => [String(r.id), `p${r.maker}`, r.target, r.rights, String(r.badge), `crank ${r.createdCrank}`, r.revoked ? 'revoked' : '-']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]): string => c.map((x, i) => x.padEnd(widths[i] as number)).join('  ').trimEnd();
  return `${[line(head), ...cells.map(line)].join('\n')}\n`;
}

/** The id an operator names: digits, or a whole token. */
export function idNamed(text: string): number {
  if (/^\d{1,16}$/.test(text) && Number.isSafeInteger(Number(text)) && Number(text) > 0) return Number(text);
  const parsed = parseToken(text);
  if (parsed !== null) return parsed.id;
  throw new UsageError(`'${text.slice(0, 24)}' names no sturdy reference: give its id (capsim sturdy list shows them) or the token`);
}

export function registerSturdy(program: Command): void {
  const sturdy = program.command('sturdy').description('sturdy references in a store: list them, revoke one (never shows a secret)');
  sturdy
    .command('list')
    .description('every sturdy reference: id, maker, target, rights, badge, crank made, revoked')
    .option('--store <dir>', `store folder (default ${DEFAULT_STORE_DIR})`, DEFAULT_STORE_DIR)
    .option('--json', 'print the references as JSON')
    .action(async (opts: { store: string; json?: boolean }) => {
      const path = storeFolder(opts.store);
      const store = await openExistingStore(path, { inspect: true });
      let read: { rows: SturdyRow[]; damaged: string[] };
      try {
        read = await readRows(store);
      } finally {
        await store.close();
      }
      if (opts.json) printJson({ store: path, references: read.rows, damaged: read.damaged });
      else process.stdout.write(table(read.rows));
      if (read.damaged.length > 0) throw new CommandFailed(`${read.damaged.length} damaged sturdy record(s): ${read.damaged[0]}`);
    });
  sturdy
    .command('revoke <reference>')
    .description('revoke one reference (by id, or by its token) in a stopped system; the next boot holds it revoked')
    .option('--store <dir>', `store folder (default ${DEFAULT_STORE_DIR})`, DEFAULT_STORE_DIR)
    .option('--json', 'print the revoked reference as JSON')
    .action(async (reference: string, opts: { store: string; json?: boolean }) => {
      const id = idNamed(reference);
      const path = storeFolder(opts.store);
      const store = await openExistingStore(path);
      let row: SturdyRow;
      let already: boolean;
      try {
        const record = await store.sturdy.get(id);
        if (record === undefined) throw new CommandFailed(`${path} holds no sturdy reference ${id} (capsim sturdy list shows those it holds)`);
        already = record.revoked;
        if (!already) {
          const tx = store.begin();
          tx.putSturdy({ ...record, revoked: true });
          await store.commit(tx, { sync: true });
        }
        row = rowOf({ ...record, revoked: true });
      } finally {
        await store.close();
      }
      if (opts.json) printJson({ store: path, revoked: row, already });
      else process.stdout.write(`sturdy reference ${id} ${already ? 'was revoked already' : 'revoked'} (${row.target}, ${row.rights}${row.badge ? ` badge ${row.badge}` : ''}, made by p${row.maker})\n`);
    });
}
