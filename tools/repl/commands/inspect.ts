/** Looking without touching: processes, one c-list, the capability graph, the trace. */
import { formatEvent, formatRights } from '../../../kernel/index.ts';
import { buildGraph, diffGraphs, renderDiffText, renderText } from '../../graph/index.ts';
import { dim } from '../../cli/output.ts';
import { countArg, expectArgs, processArg } from '../args.ts';
import type { CommandGroup, ReplCommand } from '../command.ts';
import { processWords } from '../complete.ts';
import { TRACE_KEEP } from '../session.ts';
import { shortJson, table } from '../table.ts';

const ps: ReplCommand = {
  name: 'ps',
  looksOnly: true,
  args: '',
  summary: 'list processes: pid, program, args, status, generation, named caps, queue, state',
  run(session, args) {
    expectArgs(args, 0, 0, 'ps');
    const rows = session.processes().map((p) => [`p${p.id}`, p.program, JSON.stringify(p.args), p.status, String(p.generation), String(p.named.size), String(p.inbox.length), shortJson(p.state)]);
    session.print(table(['PID', 'PROGRAM', 'ARGS', 'STATUS', 'GEN', 'NAMED', 'QUEUE', 'STATE'], rows));
  },
};

const caps: ReplCommand = {
  name: 'caps',
  looksOnly: true,
  args: '<pid|program>',
  summary: "one process's c-list: slot, name, kind, target, rights, badge",
  details: ['A process names its capabilities only by slot; the target column is the object ID the kernel knows.', 'Named capabilities are the ones the trusted database keeps across a power loss.'],
  complete: (session, before) => (before.length === 0 ? processWords(session) : []),
  run(session, args) {
    expectArgs(args, 1, 1, 'caps <pid|program>');
    const p = processArg(session, args[0] as string);
    const rows = [...p.cspace.entries()].map(([slot, cap]) => [String(slot), cap.name ?? '-', cap.object.kind, String(cap.object.id), formatRights(cap.rights), String(cap.badge)]);
    session.print(dim(`p${p.id} ${p.program}: ${rows.length} capabilities`));
    session.print(table(['SLOT', 'NAME', 'KIND', 'TARGET', 'RIGHTS', 'BADGE'], rows));
  },
};

const graph: ReplCommand = {
  name: 'graph',
  looksOnly: true,
  args: '',
  summary: 'the capability graph as text: who holds what, with which rights and badge',
  run(session, args) {
    expectArgs(args, 0, 0, 'graph');
    session.print(renderText(buildGraph(session.kernel())));
  },
};

const diff: ReplCommand = {
  name: 'diff',
  looksOnly: true,
  args: '',
  summary: "what the last command changed in the graph: capabilities, and each process's status, state, queue",
  details: [
    "Commands that only look (ps, caps, graph, trace, help, status) are passed over: 'step' then 'graph' then 'diff' shows the step.",
    "After 'crash', 'restart' then 'diff' shows what the power loss and the restart changed together.",
  ],
  run(session, args) {
    expectArgs(args, 0, 0, 'diff');
    const change = session.lastChange;
    if (change === null) return session.print('no command has run yet: nothing to compare');
    if (change.after === null) return session.print(`the power is off after '${change.line}': 'restart', then 'diff' shows what the power loss and restart changed`);
    if (change.before === null) return session.print(`the power was off before '${change.line}': there is no graph to compare with`);
    session.print(dim(`what '${change.line}' changed:`));
    session.print(renderDiffText(diffGraphs(change.before, change.after), change.before, change.after));
  },
};

const trace: ReplCommand = {
  name: 'trace',
  looksOnly: true,
  args: '[n]',
  summary: `the last n trace events (default 20, at most ${TRACE_KEEP})`,
  details: ['Every crank and syscall is an event; the hash over all of them is what a determinism check compares.'],
  run(session, args) {
    expectArgs(args, 0, 1, 'trace [n]');
    const n = countArg(args[0], 'n', 20, TRACE_KEEP);
    const kernel = session.kernel();
    const events = n === 0 ? [] : kernel.trace.events().slice(-n);
    for (const e of events) session.print(formatEvent(e));
    session.print(dim(`${events.length} of ${kernel.trace.total} event(s) since this boot; hash ${kernel.trace.hash}`));
  },
};

export const inspectCommands: CommandGroup = { name: 'inspect', summary: 'look at the running system', commands: [ps, caps, graph, diff, trace] };
