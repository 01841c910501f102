/**
 * `capsim ps --store DIR` and `capsim caps <process> --store DIR` — boot the system a store
 * holds and list its processes, or one process's c-list. The boot report is shown (on stderr)
 * only with --verbose. A process boot quarantined (its registration damaged, its program
 * unknown) is listed too, with its reason, and the command exits 1: a listing that left it out
 * would say the system is whole.
 */
import { DEFAULT_STORE_DIR } from '../locate.ts';
import type { Command } from 'commander';
import { formatRights, type Process } from '../../../kernel/index.ts';
import { formatReport, type RestartReport, type System as AgentSystem } from '../../../restart-agent/index.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import { openStoredSystem } from '../load-system.ts';
import { bold, colorVerdicts, dim, printJson } from '../output.ts';

interface StoreOptions {
  store: string;
  system?: string;
  verbose?: boolean;
  json?: boolean;
}

export interface PsRow {
  pid: number;
  program: string;
  args: readonly unknown[];
  status: string;
  generation: number;
  named: number;
  /** Why boot set the process aside; only on quarantined rows. */
  reason?: string;
}

export interface CapRow {
  slot: number;
  name: string | null;
  kind: string;
  target: number;
  rights: string;
  badge: number;
}

function storeCommand(cmd: Command): Command {
  return cmd
    .option('--store <dir>', `store folder (default ${DEFAULT_STORE_DIR}, where npm start leaves its store)`, DEFAULT_STORE_DIR)
    .option('--system <name>', 'the example (or module path) whose programs the store runs (default: the one the store names)')
    .option('--verbose', 'also print the boot report (on stderr)')
    .option('--json', 'print as JSON');
}

async function withBooted<T>(opts: StoreOptions, use: (system: AgentSystem, quarantined: PsRow[]) => T): Promise<T> {
  const { system, report } = await openStoredSystem({ store: opts.store, system: opts.system });
  try {
    if (opts.verbose) printReport(report);
    return use(system, quarantinedRows(report));
  } finally {
    await system.close();
  }
}

/** The processes boot quarantined, as rows: what is known of them, and why. */
export function quarantinedRows(report: RestartReport): PsRow[] {
  const rows: PsRow[] = [];
  for (const q of report.quarantined) {
    const pid = /^registration (\d+)$/.exec(q.record);
    if (pid === null) continue;
    const program = /^program '(.*)' is not registered$/.exec(q.reason)?.[1] ?? '?';
    rows.push({ pid: Number(pid[1]), program, args: [], status: 'quarantined', generation: 0, named: 0, reason: q.reason });
  }
  return rows;
}

function quarantineFailure(rows: PsRow[]): CommandFailed {
  return new CommandFailed(`${rows.length} process(es) quarantined: ${rows.map((r) => `p${r.pid} (${r.reason})`).join('; ')}`);
}

function printReport(report: RestartReport): void {
  process.stderr.write(`${colorVerdicts(formatReport(report))}\n`);
}

export function psRows(system: AgentSystem): PsRow[] {
  return [...system.kernel.processes()]
    .sort((a, b) => a.id - b.id)
    .map((p) => ({ pid: p.id, program: p.program, args: p.args, status: p.status, generation: p.generation, named: p.named.size }));
}

export function capRows(p: Process): CapRow[] {
  const rows: CapRow[] = [];
  for (const [slot, cap] of p.cspace.entries()) rows.push({ slot, name: cap.name, kind: cap.object.kind, target: cap.object.id, rights: formatRights(cap.rights), badge: cap.badge });
  return rows;
}

/** A process by pid ('7' or 'p7') or by program name (which must be unambiguous). */
export function findProcess(system: AgentSystem, ref: string): Process {
  const all = [...system.kernel.processes()].sort((a, b) => a.id - b.id);
  const known = all.map((p) => `p${p.id} ${p.program}`).join(', ');
  const asPid = /^p?(\d+)$/.exec(ref);
  if (asPid) {
    const p = all.find((q) => q.id === Number(asPid[1]));
    if (p) return p;
    throw new UsageError(`no process ${ref} in the store (processes: ${known})`);
  }
  const named = all.filter((p) => p.program === ref);
  if (named.length === 1 && named[0]) return named[0];
  if (named.length > 1) throw new UsageError(`${named.length} processes run '${ref}' (${named.map((p) => `p${p.id}`).join(', ')}): name one by pid`);
  throw new UsageError(`no process runs program '${ref}' (processes: ${known})`);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [bold(line(header)), ...rows.map(line)].join('\n');
}

export function registerPs(program: Command): void {
  storeCommand(program.command('ps').description('boot a store and list its processes: pid, program, args, status, generation, named caps'))
    .action(async (opts: StoreOptions) => {
      const { rows, quarantined } = await withBooted(opts, (system, set) => ({ rows: psRows(system), quarantined: set }));
      const all = [...rows, ...quarantined].sort((a, b) => a.pid - b.pid);
      if (opts.json) printJson(all);
      else process.stdout.write(`${table(['PID', 'PROGRAM', 'ARGS', 'STATUS', 'GEN', 'NAMED'], all.map((r) => [String(r.pid), r.program, JSON.stringify(r.args), r.reason === undefined ? r.status : `quarantined: ${r.reason}`, String(r.generation), String(r.named)]))}\n`);
      if (quarantined.length > 0) throw quarantineFailure(quarantined);
    });

  storeCommand(
    program
      .command('caps')
      .description("boot a store and list one process's c-list: slot, name, kind, target, rights, badge")
      .argument('<process>', 'a pid (7 or p7) or a program name'),
  ).action(async (ref: string, opts: StoreOptions) => {
    const result = await withBooted(opts, (system, quarantined) => {
      const set = quarantined.find((q) => `${q.pid}` === ref.replace(/^p/, '') || q.program === ref);
      if (set !== undefined) return set;
      const p = findProcess(system, ref);
      return { pid: p.id, program: p.program, caps: capRows(p) };
    });
    if (!('caps' in result)) {
      if (opts.json) printJson({ pid: result.pid, program: result.program, quarantined: result.reason, caps: [] });
      throw new CommandFailed(`p${result.pid} is quarantined: ${result.reason ?? ''}`);
    }
    if (opts.json) return printJson(result);
    process.stdout.write(`${dim(`p${result.pid} ${result.program}: ${result.caps.length} capabilities`)}\n`);
    process.stdout.write(`${table(['SLOT', 'NAME', 'KIND', 'TARGET', 'RIGHTS', 'BADGE'], result.caps.map((c) => [String(c.slot), c.name ?? '-', c.kind, String(c.target), c.rights, String(c.badge)]))}\n`);
  });
}
