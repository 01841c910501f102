/**
 * `capsim authority <system | FILE.cdl | --store DIR>` — capDL-tool's `-a` analysis (leaks and
 * information flow, tools/authority/) on a capDL description's TCBs, or on a capsim system's
 * live processes after N cranks, or on what a store restores; `--can P` and `--reach X` answer
 * with the path of grants; `--restart` shows what a power loss and restart changed.
 */
import type { Command } from 'commander';
import { System } from '../../../restart-agent/index.ts';
import { MemoryDisk } from '../../../store/index.ts';
import type { AuthorityResult } from '../../authority/index.ts';
import { UsageError } from '../errors.ts';
import { loadSystem, openStoredSystem } from '../load-system.ts';
import { parseCount } from '../locate.ts';
import { printJson } from '../output.ts';

interface AuthorityOptions {
  store?: string;
  json?: boolean;
  can?: string;
  reach?: string;
  cranks?: string;
  restart?: boolean;
  seed: string;
}

export function registerAuthority(program: Command): void {
  program
    .command('authority')
    .description("who can pass capabilities to whom and where information can flow (capDL-tool's -a), on a .cdl file's TCBs or a capsim system's live processes; --can P and --reach X with the path of grants")
    .argument('[system]', 'a .cdl file, an example name or a module path; with --store, the programs the store runs')
    .option('--store <dir>', 'analyse the system this store holds, as restored')
    .option('--can <subject>', 'every capability this subject (a TCB, or a process p<id>) could ever obtain, and how')
    .option('--reach <object>', 'every subject that could come to hold a capability to this object (a capDL object, or an endpoint/storage name or ID), and how')
    .option('--cranks <n>', 'run this many cranks first and analyse the live state (a .cdl file is then imported and run)')
    .option('--restart', 'analyse, pull the power, restart, analyse again and show what changed')
    .option('--seed <n>', 'seed for every choice', '1')
    .option('--json', 'as JSON: leaks and flows as [from, to] pairs, and what each subject could obtain')
    .action(async (ref: string | undefined, opts: AuthorityOptions) => {
      if (ref === undefined && opts.store === undefined) throw new UsageError("name a system or a .cdl file, or give --store <dir>");
      const seed = parseCount(opts.seed, '--seed');
      // The analysis loads when this command runs, not with every command.
      const { analyse, authorityJson, diffAuthority, renderAuthority, renderDiff, subjectsOfCapdl, subjectsOfKernel } = await import('../../authority/index.ts');
      const { isCapdlPath, readCapdlFile } = await import('../load-capdl.ts');
      const live = opts.cranks !== undefined || opts.restart === true || opts.store !== undefined;
      if (ref !== undefined && isCapdlPath(ref) && !live) {
        await show(analyse(subjectsOfCapdl(readCapdlFile(ref))), opts);
        return;
      }
      const cranks = parseCount(opts.cranks ?? '0', '--cranks');
      const system = opts.store !== undefined ? (await openStoredSystem({ store: opts.store, system: ref, seed })).system : await System.create({ spec: await loadSystem(ref as string), store: { backend: 'memory', disk: new MemoryDisk() }, seed });
      let before: AuthorityResult;
      let after: AuthorityResult | null = null;
      const name = opts.store ?? (ref as string);
      try {
        if (opts.store === undefined && cranks > 0) await system.run(cranks);
        before = analyse(subjectsOfKernel(system.kernel, `${name} after ${cranks} crank(s)`));
        if (opts.restart) {
          await system.powerLoss({ keepBatches: 0 });
          await system.restart();
          after = analyse(subjectsOfKernel(system.kernel, `${name} after a power loss and restart`));
        }
      } finally {
        await system.close();
      }
      if (after === null) {
        await show(before, opts);
        return;
      }
      const diff = diffAuthority(before, after);
      if (opts.json) printJson({ before: authorityJson(before), after: authorityJson(after), ...diff });
      else process.stdout.write(`${renderAuthority(before)}\n\n${renderAuthority(after)}\n\n${renderDiff(diff)}\n`);
    });
}

async function show(r: AuthorityResult, opts: AuthorityOptions): Promise<void> {
  const { authorityJson, obtainableJson, reachOf, renderAuthority, renderCan, renderReach } = await import('../../authority/index.ts');
  if (opts.can !== undefined) {
    const subject = subjectNamed(r, opts.can);
    const caps = r.obtain.get(subject) ?? [];
    if (opts.json) printJson({ subject, obtain: caps.map(obtainableJson) });
    else write(renderCan(r, subject));
    return;
  }
  if (opts.reach !== undefined) {
    const hits = reachOf(r, objectKey(r, opts.reach));
    if (opts.json) printJson({ object: opts.reach, reach: hits.map((h) => ({ subject: h.subject, via: obtainableJson(h.via) })) });
    else write(renderReach(opts.reach, hits));
    return;
  }
  if (opts.json) printJson(authorityJson(r));
  else write(renderAuthority(r));
}

function subjectNamed(r: AuthorityResult, name: string): string {
  if (r.subjects.includes(name)) return name;
  if (/^\d+$/.test(name) && r.subjects.includes(`p${name}`)) return `p${name}`;
  throw new UsageError(`no subject '${name}' (subjects: ${r.subjects.slice(0, 20).join(', ')}${r.subjects.length > 20 ? ', ...' : ''})`);
}

/** The analysis key of the object the user named: as is, or a capsim object by ID or by its name in quotes in a label. */
function objectKey(r: AuthorityResult, name: string): string {
  const caps = [...r.obtain.values()].flat().map((o) => o.cap);
  const hit = caps.find((c) => c.object === name) ?? caps.find((c) => /^\d+$/.test(name) && c.object.endsWith(` ${name}`) && c.transferable) ?? caps.find((c) => c.transferable && c.label.includes(`'${name}'`));
  if (hit === undefined) throw new UsageError(`no subject holds or could obtain a capability to '${name}'`);
  return hit.object;
}

function write(text: string): void {
  process.stdout.write(`${text}\n`);
}
