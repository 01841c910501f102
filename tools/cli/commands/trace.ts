/**
 * `capsim trace <system>` — runs a system on an in-memory store with the full trace and prints
 * every event: readably (the kernel's formatEvent) with the trace hash at the end, or with
 * --json as JSON lines, one event per line (the very lines the hash is computed over).
 */
import { parseFlag } from '../flags.ts';
import type { Command } from 'commander';
import { formatEvent, type TraceEvent } from '../../../kernel/index.ts';
import { System } from '../../../restart-agent/index.ts';
import { MemoryDisk } from '../../../store/index.ts';
import { loadSystem } from '../load-system.ts';

import { bold, dim } from '../output.ts';

interface TraceOptions {
  cranks: string;
  seed: string;
  json?: boolean;
}

export function registerTrace(program: Command): void {
  program
    .command('trace')
    .description('run a system in memory with the full trace and print every event (and the trace hash)')
    .argument('<system>', 'an example name or a path to a module that exports `system`')
    .option('--cranks <n>', 'cranks to run', '20')
    .option('--seed <n>', 'seed for every choice', '1')
    .option('--json', 'print the events as JSON lines')
    .action(async (ref: string, opts: TraceOptions) => {
      const cranks = parseFlag(opts.cranks, '--cranks');
      const seed = parseFlag(opts.seed, '--seed');
      const spec = await loadSystem(ref);
      const out = new LineWriter();
      const show = opts.json ? (_e: TraceEvent, line: string) => out.line(line) : (e: TraceEvent) => out.line(formatEvent(e));
      if (!opts.json) out.line(bold(`trace of '${spec.name}', seed ${seed}, ${cranks} crank(s)`));
      const system = await System.create({ spec, store: { backend: 'memory', disk: new MemoryDisk() }, seed, trace: 'full' });
      try {
        // The events of wiring and starting happened inside create: print them from the ring, then stream the rest.
        for (const e of system.kernel.trace.events()) show(e, JSON.stringify(e));
        system.kernel.trace.sink = show;
        const ran = await system.run(cranks);
        if (!opts.json) out.line(dim(`${ran} crank(s), ${system.kernel.trace.total} events, trace hash ${system.kernel.trace.hash}`));
      } finally {
        out.flush();
        await system.close();
      }
    });
}

/** Collects lines and writes them in chunks: one write per event would dominate a long trace. */
class LineWriter {
  private lines: string[] = [];

  line(text: string): void {
    this.lines.push(text);
    if (this.lines.length >= 2000) this.flush();
  }

  flush(): void {
    if (this.lines.length === 0) return;
    process.stdout.write(`${this.lines.join('\n')}\n`);
    this.lines = [];
  }
}
