/**
 * Changing who holds what, as the host: grant, mint, revoke, delete, spawn. Each change is
 * committed and synced at once (Session.commitHostChange), so that a crash right after it
 * shows what the model keeps: a named capability survives a restart, an unnamed one does not,
 * and a revoked one never comes back (I5). And asking what that authority allows, on the live
 * kernel at this crank (tools/authority/, as `capsim authority`): can, reach.
 */
import { formatEvent, formatRights, type Cap, type PlainData } from '../../../kernel/index.ts';
import { analyse, reachOf } from '../../authority/analyse.ts';
import { subjectsOfKernel } from '../../authority/from-kernel.ts';
import { renderCan, renderReach } from '../../authority/render.ts';
import { dim } from '../../cli/output.ts';
import { badgeAndName, expectArgs, isRightsWord, jsonArg, processArg, rightsArg, slotArg } from '../args.ts';
import { ReplError, type CommandGroup, type ReplCommand } from '../command.ts';
import { processWords, programWords, slotWords } from '../complete.ts';
import type { Session } from '../session.ts';

function describeCap(cap: Cap): string {
  return `${cap.object.kind} ${cap.object.id} [${formatRights(cap.rights)}${cap.badge ? ` badge ${cap.badge}` : ''}]${cap.name !== null ? ` named '${cap.name}'` : ''}`;
}

/** The capability now in `slot` of process `pid`, as one line. */
function placed(session: Session, pid: number, slot: number): string {
  const cap = session.kernel().process(pid).cspace.lookup(slot);
  return `p${pid} slot ${slot}: ${describeCap(cap)}`;
}

const grant: ReplCommand = {
  name: 'grant',
  args: '<from-pid> <slot> <to-pid> [rights] [badge] [as NAME]',
  summary: "copy a capability into another process's c-list, rights only diminished",
  details: [
    'Rights are letters r w g k (weak); default: the source\'s. A badge marks the copy; `as NAME` registers it,',
    'so it survives a restart. Example: grant p1 2 p3 w 7 as back',
  ],
  complete: (session, before) => (before.length === 0 || before.length === 2 ? processWords(session) : before.length === 1 ? slotWords(session, before[0]) : []),
  async run(session, args) {
    expectArgs(args, 3, 7, 'grant <from-pid> <slot> <to-pid> [rights] [badge] [as NAME]');
    const from = processArg(session, args[0] as string);
    const slot = slotArg(args[1] as string);
    const to = processArg(session, args[2] as string);
    const rest = args.slice(3);
    const rights = rest[0] !== undefined && isRightsWord(rest[0]) ? rightsArg(rest.shift() as string) : undefined;
    const { badge, name } = badgeAndName(rest);
    const landed = session.kernel().grant(from.id, slot, to.id, { rights, badge, name });
    await session.commitHostChange();
    session.print(`granted: ${placed(session, to.id, landed)}`);
  },
};

const mint: ReplCommand = {
  name: 'mint',
  args: '<pid> <slot> <rights> [badge] [as NAME]',
  summary: 'derive a capability with fewer rights and/or a badge, in the same c-list',
  details: ['Asking for a right the source lacks fails: rights only ever diminish (I4). Example: mint p1 2 w 7'],
  complete: (session, before) => (before.length === 0 ? processWords(session) : before.length === 1 ? slotWords(session, before[0]) : []),
  async run(session, args) {
    expectArgs(args, 3, 6, 'mint <pid> <slot> <rights> [badge] [as NAME]');
    const p = processArg(session, args[0] as string);
    const slot = slotArg(args[1] as string);
    const rights = rightsArg(args[2] as string);
    const { badge, name } = badgeAndName(args.slice(3));
    const landed = session.kernel().grant(p.id, slot, p.id, { rights, badge, name });
    await session.commitHostChange();
    session.print(`minted: ${placed(session, p.id, landed)}`);
  },
};

const revoke: ReplCommand = {
  name: 'revoke',
  args: '<pid> <slot>',
  summary: 'remove every capability derived from the one in this slot, wherever it went',
  details: ['The capability itself stays; its copies, mints and what was granted from them go, also from messages in transit.'],
  complete: (session, before) => (before.length === 0 ? processWords(session) : before.length === 1 ? slotWords(session, before[0]) : []),
  async run(session, args) {
    expectArgs(args, 2, 2, 'revoke <pid> <slot>');
    const p = processArg(session, args[0] as string);
    const removed = session.kernel().revokeSlot(p.id, slotArg(args[1] as string));
    await session.commitHostChange();
    session.print(`revoked: ${removed} derived capabilit${removed === 1 ? 'y' : 'ies'} removed`);
  },
};

const del: ReplCommand = {
  name: 'delete',
  args: '<pid> <slot>',
  summary: 'delete one capability; what was derived from it stays, under its parent',
  complete: revoke.complete,
  async run(session, args) {
    expectArgs(args, 2, 2, 'delete <pid> <slot>');
    const p = processArg(session, args[0] as string);
    const slot = slotArg(args[1] as string);
    const what = placed(session, p.id, slot);
    session.kernel().deleteSlot(p.id, slot);
    await session.commitHostChange();
    session.print(`deleted: ${what}`);
  },
};

const spawn: ReplCommand = {
  name: 'spawn',
  args: '<program> [args-json]',
  summary: "start a new persistent process running one of the system's programs",
  details: ['The arguments are a JSON array, its command line: spawn pong []. It starts with only its store capability;', 'grant it what it needs.'],
  complete: (session, before) => (before.length === 0 ? programWords(session) : []),
  async run(session, args) {
    expectArgs(args, 1, 2, 'spawn <program> [args-json]');
    const programArgs = args[1] === undefined ? [] : jsonArg(args[1], 'the arguments');
    if (!Array.isArray(programArgs)) throw new ReplError(`the arguments are a JSON array, e.g. ["a", 1], got ${args[1]}`);
    const kernel = session.kernel();
    await session.reserveIds();
    const before = kernel.trace.total;
    const pid = kernel.spawn(args[0] as string, programArgs as PlainData[], { persistent: true });
    const result = kernel.start(pid);
    await session.commitHostChange();
    for (const e of session.eventsSince(before)) session.print(dim(formatEvent(e)));
    const p = kernel.process(pid);
    session.print(`spawned p${pid} ${p.program} ${JSON.stringify(p.args)} -> ${p.status}${result.fault ? ` (${result.fault})` : ''}`);
  },
};

const can: ReplCommand = {
  name: 'can',
  args: '<pid>',
  summary: 'every capability this process could ever obtain (leaks closed transitively), with the path of grants',
  details: ["capDL-tool's -a rules on the live kernel: grant on an endpoint another reads passes capabilities. Example: can p3"],
  complete: (session, before) => (before.length === 0 ? processWords(session) : []),
  run(session, args) {
    expectArgs(args, 1, 1, 'can <pid>');
    const p = processArg(session, args[0] as string);
    const result = analyse(subjectsOfKernel(session.kernel(), 'the live kernel'));
    session.print(renderCan(result, `p${p.id}`));
  },
};

const reach: ReplCommand = {
  name: 'reach',
  args: '<object-id>',
  summary: 'every process that could come to hold a capability to this endpoint or storage object, and how',
  details: ['Example: reach 5'],
  run(session, args) {
    expectArgs(args, 1, 1, 'reach <object-id>');
    const id = Number(args[0]);
    const object = session.kernel().objects.get(id);
    if (!Number.isSafeInteger(id) || object === undefined || (object.kind !== 'endpoint' && object.kind !== 'storage')) throw new ReplError(`no endpoint or storage object ${args[0]} (see caps <pid> for IDs)`);
    const result = analyse(subjectsOfKernel(session.kernel(), 'the live kernel'));
    session.print(renderReach(`${object.kind} ${id}`, reachOf(result, `${object.kind} ${id}`)));
  },
};

export const authorityCommands: CommandGroup = { name: 'authority', summary: 'change who holds what, as the host, and ask what that allows', commands: [grant, mint, revoke, del, spawn, can, reach] };
