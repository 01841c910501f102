/**
 * service-graph — services that find each other after every restart (as Syndicate programs
 * assert what they require and a service manager starts them in order).
 *
 * A name service, a log service that requires it, and two applications that require both.
 * Nobody wires endpoints by hand: each process says what it `provides` and what it `requires`,
 * and the description gives every requirer a capability named `service:<name>` to its
 * provider. So the restart order starts the name service, then the log service, then the
 * applications — when the system is created and after every power loss — and each init can
 * use what it requires at once: the log registers with the name service, the applications
 * register and log that they are up.
 *
 * What it teaches:
 *  - the journal (the log service's storage) shows the order of every boot: `log up` before
 *    `app-1 up` and `app-2 up`, each time, because providers start first;
 *  - the input `{ crash: true }` makes the log service fault; its policy restarts it, and the
 *    applications, which take service notices, get `{ service: 'log', event: 'restarted' }`
 *    and write a line saying they saw it come back;
 *  - requirements that form a cycle are refused when the description is checked, with the
 *    cycle named — never a deadlock at start.
 */
import type { InputSpec, Program, SystemSpec } from '../kernel/index.ts';

interface Registry {
  /** Who registered, in the order their registrations arrived. */
  order: string[];
}

/** The name service: `{ register }` appends to the registry (kept in storage). */
const names: Program<Registry> = {
  init(ctx) {
    return ctx.read(ctx.lookup('registry') as number) as unknown as Registry;
  },
  receive(ctx, state, message) {
    const who = (message.payload as { register?: string }).register;
    if (typeof who !== 'string') return state;
    // Bounded: the last 64 registrations are what anyone reads.
    const next = { order: [...state.order, who].slice(-64) };
    ctx.write(ctx.lookup('registry') as number, next);
    return next;
  },
};

interface Journal {
  lines: string[];
}

const JOURNAL_LINES_MAX = 200;

function append(ctx: Parameters<Program['init']>[0], line: string): Journal {
  const slot = ctx.lookup('journal') as number;
  const journal = ctx.read(slot) as unknown as Journal;
  const next = { lines: [...journal.lines, line].slice(-JOURNAL_LINES_MAX) };
  ctx.write(slot, next);
  return next;
}

/**
 * The log service: registers with the name service in init, appends `{ line }`, faults on
 * `{ crash }`. Its own 'log up' line it sends itself: an init that wrote storage would write
 * again when a power loss cuts a restart short, and two boots of one database must give one
 * system (DESIGN.md I8). Sent in init, it is queued before the lines of the applications,
 * whose inits run after this one.
 */
const log: Program<null> = {
  init(ctx) {
    ctx.send(ctx.lookup('log-in') as number, { line: 'log up' });
    ctx.send(ctx.lookup('service:names') as number, { register: 'log' });
    return null;
  },
  receive(ctx, state, message) {
    const p = message.payload as { line?: string; crash?: boolean };
    if (p.crash === true) throw new Error('the log service crashes, as asked');
    if (typeof p.line === 'string') append(ctx, p.line);
    return state;
  },
};

interface App {
  /** Times this incarnation was told the log service came back. */
  logRestarts: number;
}

/** An application: registers and logs that it is up; logs its work; logs when the log service came back. */
const app: Program<App> = {
  init(ctx) {
    const me = String(ctx.self.args[0]);
    ctx.send(ctx.lookup('service:names') as number, { register: me });
    ctx.send(ctx.lookup('service:log') as number, { line: `${me} up` });
    return { logRestarts: 0 };
  },
  receive(ctx, state, message) {
    const me = String(ctx.self.args[0]);
    const p = message.payload as { service?: string; event?: string; work?: number };
    if (p.service === 'log' && p.event === 'restarted') {
      ctx.send(ctx.lookup('service:log') as number, { line: `${me} saw the log service come back` });
      return { logRestarts: state.logRestarts + 1 };
    }
    if (typeof p.work === 'number') ctx.send(ctx.lookup('service:log') as number, { line: `${me} did work ${p.work}` });
    return state;
  },
};

/** Work for both applications; the log service is made to crash once, at input 8. */
function input(i: number): InputSpec | null {
  if (i >= 20) return null;
  if (i === 8) return { to: 'log-in', payload: { crash: true } };
  return { to: i % 2 === 0 ? 'app-1-in' : 'app-2-in', payload: { work: i } };
}

export const system: SystemSpec = {
  name: 'service-graph',
  description: 'a name service, a log service and two applications that come up in order after every restart',
  programs: { names, log, app },
  processes: [
    // Listed requirers first: the order comes from what each requires, not from this list.
    { name: 'app-1', program: 'app', args: ['app-1'], requires: ['names', 'log'], notices: 'app-1-in' },
    { name: 'app-2', program: 'app', args: ['app-2'], requires: ['names', 'log'], notices: 'app-2-in' },
    { name: 'log', program: 'log', provides: [{ service: 'log', endpoint: 'log-in' }], requires: ['names'], policy: { mode: 'permanent', intensity: 3, periodCranks: 1000 } },
    { name: 'names', program: 'names', provides: [{ service: 'names', endpoint: 'names-in' }] },
  ],
  endpoints: [
    { name: 'names-in', owner: 'names' },
    { name: 'log-in', owner: 'log' },
    { name: 'app-1-in', owner: 'app-1' },
    { name: 'app-2-in', owner: 'app-2' },
  ],
  storage: [
    { name: 'registry', owner: 'names', data: { order: [] } },
    { name: 'journal', owner: 'log', data: { lines: [] } },
  ],
  input,
};
