/** Making things happen: step a crank at a time and watch, run many, send a message in. */
import { formatEvent, redactTokens } from '../../../kernel/index.ts';
import { dim, red } from '../../cli/output.ts';
import { countArg, expectArgs, jsonArg } from '../args.ts';
import type { CommandGroup, ReplCommand } from '../command.ts';
import { endpointWords } from '../complete.ts';

/** step prints every event of every crank, so it takes few at a time; run is for many. */
export const STEP_MAX = 100;
/** Faults a run lists one by one before it only counts them. */
const FAULTS_SHOWN = 5;

const step: ReplCommand = {
  name: 'step',
  args: '[n]',
  summary: `run n cranks (default 1, at most ${STEP_MAX}) and show every event of each`,
  details: ['A crank delivers one message to one process: all its effects happen, or none do.', 'When every queue is empty the next external input of the system is fed in.'],
  async run(session, args) {
    expectArgs(args, 0, 1, 'step [n]');
    const n = countArg(args[0], 'n', 1, STEP_MAX);
    const kernel = session.kernel();
    for (let i = 0; i < n; i++) {
      const before = kernel.trace.total;
      const result = await session.system.step();
      if (result === null) {
        session.print(dim('nothing to run: every queue is empty and the system has no more input'));
        return;
      }
      for (const e of session.eventsSince(before)) session.print(formatEvent(e));
    }
  },
};

const run: ReplCommand = {
  name: 'run',
  args: '[n]',
  summary: 'run n cranks (default 100) quietly; say how many ran and what faulted',
  details: ['Bounded by --run-max (default 10000) so that the prompt always comes back.'],
  async run(session, args) {
    expectArgs(args, 0, 1, 'run [n]');
    const n = countArg(args[0], 'n', 100, session.options.runMax);
    session.kernel();
    let ran = 0;
    let faults = 0;
    for (; ran < n; ran++) {
      const result = await session.system.step();
      if (result === null) break;
      if (result.fault === null) continue;
      faults++;
      if (faults <= FAULTS_SHOWN) session.print(red(`crank ${result.crank}: p${result.pid} ${result.program} faulted: ${result.fault}`));
    }
    const idle = ran < n ? '; then nothing was left to run' : '';
    session.print(`ran ${ran} crank(s), clock ${session.system.now}${faults > 0 ? `, ${faults} fault(s)` : ''}${idle}`);
  },
};

const send: ReplCommand = {
  name: 'send',
  args: '<endpoint> <json-payload> [badge]',
  summary: 'send a message from outside to an endpoint (by its name, or e<id>); step to deliver it',
  details: ['The payload is JSON: "tick", 42, {"n": 1}. The badge (default 0) tells the receiver who sent it.', 'Example: send back "tick"'],
  complete: (session, before) => (before.length === 0 ? endpointWords(session) : []),
  run(session, args) {
    expectArgs(args, 2, 3, 'send <endpoint> <json-payload> [badge]');
    const endpoint = session.endpoint(args[0] as string);
    const payload = jsonArg(args[1] as string, 'the payload');
    const badge = countArg(args[2], 'the badge', 0, Number.MAX_SAFE_INTEGER);
    session.system.inject(endpoint.id, payload, badge);
    session.print(`queued on e${endpoint.id} for p${endpoint.owner.id} ${endpoint.owner.program} (${endpoint.pending} waiting there)`);
  },
};

const call: ReplCommand = {
  name: 'call',
  args: '<endpoint> <json-payload>',
  summary: 'call an endpoint from a console process and run cranks until the answer is back',
  details: [
    'The console is a process of its own (the host is none): it is granted the endpoint, calls, waits, and ends.',
    'The answer is the reply, or the error the kernel gave instead (no_reply, callee_faulted, ...). Example: call ping "hello"',
  ],
  complete: (session, before) => (before.length === 0 ? endpointWords(session) : []),
  async run(session, args) {
    expectArgs(args, 2, 2, 'call <endpoint> <json-payload>');
    const endpoint = session.endpoint(args[0] as string);
    const payload = jsonArg(args[1] as string, 'the payload');
    const before = session.kernel().trace.total;
    const { answer, cranks, console } = await session.call(endpoint, payload, session.options.runMax);
    for (const e of session.eventsSince(before)) session.print(dim(formatEvent(e)));
    if (answer.phase !== 'answered') {
      session.print(red(`no answer after ${cranks} crank(s): the console p${console} gave up (its call is dropped with it)`));
      return;
    }
    session.print(answer.error === null ? `answer after ${cranks} crank(s): ${redactTokens(JSON.stringify(answer.payload) ?? 'null')}` : red(`error after ${cranks} crank(s): ${answer.error}`));
  },
};

export const runningCommands: CommandGroup = { name: 'running', summary: 'make cranks happen', commands: [step, run, send, call] };
