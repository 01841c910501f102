/**
 * `capsim capdl import FILE.cdl` — what a capDL description becomes in capsim, and what had no
 * capsim meaning and was dropped (`--strict`: the first such thing is an error); `--out` writes
 * the imported system back as capDL with its capsim notes. `capsim capdl export <system> |
 * --store DIR` — a capsim system (or the one a store holds) as capDL text.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ImportResult } from '../../capdl/index.ts';
import { UsageError } from '../errors.ts';
import { loadSystem, openStoredSystem } from '../load-system.ts';
import { printJson } from '../output.ts';

export function registerCapdl(program: Command): void {
  const capdl = program.command('capdl').description("seL4's capDL: import a .cdl description onto capsim, export a capsim system as capDL");

  capdl
    .command('import')
    .description('read a capDL file and show the capsim system it becomes, with everything that has no capsim meaning listed as dropped')
    .argument('<file>', 'a capDL file (.cdl)')
    .option('--out <file>', 'write the imported system as capDL with its capsim notes (every command takes it as a system)')
    .option('--strict', 'fail on the first object, capability or right that has no capsim meaning')
    .option('--json', 'the report as JSON')
    .action(async (file: string, opts: { out?: string; strict?: boolean; json?: boolean }) => {
      // The capDL modules load when a capdl command runs, not with every command.
      const { importCapdlFile } = await import('../load-capdl.ts');
      const { exportCapdl } = await import('../../capdl/index.ts');
      const result = await importCapdlFile(file, { strict: opts.strict });
      if (opts.out !== undefined) writeFileSync(opts.out, exportCapdl(result.spec));
      if (opts.json) printJson(importJson(result));
      else process.stdout.write(`${importText(file, result)}\n`);
    });

  capdl
    .command('export')
    .description('write a capsim system as capDL: processes as TCBs with a CNode each, endpoints as ep, storage as frame; the rest in -- capsim: lines')
    .argument('[system]', 'an example name, a module path or a .cdl file; with --store, the programs the store runs')
    .option('--store <dir>', 'export the system this store holds, as restored')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (ref: string | undefined, opts: { store?: string; out?: string }) => {
      const { exportCapdl, specOfKernel } = await import('../../capdl/index.ts');
      let text: string;
      if (opts.store !== undefined) {
        const { system, spec } = await openStoredSystem({ store: opts.store, system: ref });
        try {
          text = exportCapdl(specOfKernel(system.kernel, spec.programs, spec.name, `${spec.description} (restored from ${opts.store})`));
        } finally {
          await system.close();
        }
      } else {
        if (ref === undefined) throw new UsageError("name a system (see 'capsim examples') or give --store <dir>");
        text = exportCapdl(await loadSystem(ref));
      }
      if (opts.out !== undefined) writeFileSync(opts.out, text);
      else process.stdout.write(text);
    });
}

function importJson(r: ImportResult): unknown {
  const s = r.spec;
  return {
    system: { name: s.name, description: s.description, processes: s.processes.map((p) => ({ name: p.name, program: p.program, args: p.args ?? [] })), endpoints: s.endpoints ?? [], storage: (s.storage ?? []).map((o) => ({ name: o.name, owner: o.owner })), caps: s.caps ?? [] },
    processes: r.report.processes,
    notifications: r.report.endpoints.filter((e) => e.notification).map((e) => e.name),
    dropped: r.report.dropped.map((d) => ({ what: d.what, reason: d.reason, line: d.pos?.line ?? null })),
    notes: r.report.notes,
  };
}

function importText(file: string, r: ImportResult): string {
  const rep = r.report;
  const notifications = rep.endpoints.filter((e) => e.notification).length;
  const lines = [`${file}: system '${r.spec.name}': ${rep.processes.length} process(es), ${rep.endpoints.length} endpoint(s) (${notifications} from notifications), ${rep.storage.length} storage object(s), ${rep.caps} capabilit${rep.caps === 1 ? 'y' : 'ies'}`];
  for (const p of rep.processes) lines.push(`  process ${p.name} runs ${p.program}${p.tcbs.length > 0 ? ` (TCB ${p.tcbs.join(', ')})` : ' (the loader: owns what no one process reads)'}`);
  for (const e of rep.endpoints) lines.push(`  endpoint ${e.name}${e.notification ? ' (a notification: no grant)' : ''} owned by ${e.owner}`);
  for (const s of rep.storage) lines.push(`  storage ${s.name} owned by ${s.owner}`);
  for (const c of r.spec.caps ?? []) lines.push(`  ${c.holder} holds ${c.name} -> ${c.target} [${c.rights ?? 'rwg'}${c.badge ? ` badge ${c.badge}` : ''}]`);
  for (const n of rep.notes) lines.push(`note: ${n}`);
  if (rep.dropped.length > 0) {
    lines.push(`dropped ${rep.dropped.length} thing(s) without a capsim meaning:`);
    for (const d of rep.dropped) lines.push(`  ${d.pos !== null ? `line ${d.pos.line}: ` : ''}${d.what}: ${d.reason}`);
  } else lines.push('dropped nothing: every object and capability has a capsim meaning');
  return lines.join('\n');
}
