/**
 * A user's system module, loaded confined: bundled (bundle.ts), instrumented (instrument.ts),
 * compiled once into its own realm (kernel/confine), and evaluated once more as the system's
 * description. The description's data (processes, wiring, storage) is taken as plain data; its
 * programs become host-side wrappers that run each process in its own instance of the module;
 * its input() runs in the description's instance, within a budget, and an error from it names
 * the file and the call.
 */
import { statSync } from 'node:fs';
import { ConfinedModule, DEFAULT_LIMITS, describeThrown, freezePlain, ProgramFault, type ClientOp, type ClientSpec, type InputSpec, type Program, type SystemSpec } from '../../kernel/index.ts';
import { DescriptionError } from './errors.ts';

/**
 * Compiled modules by file: a cache, not shared state — every process still gets its own
 * instance of the module, whichever system or kernel it runs in.
 */
const compiled = new Map<string, { mtimeMs: number; module: ConfinedModule }>();

/** The module at `file` (absolute), compiled into a realm; cached while the file itself is unchanged (a change only to a file it imports is not seen). */
export async function confinedModule(file: string): Promise<ConfinedModule> {
  const mtimeMs = statSync(file).mtimeMs;
  const cached = compiled.get(file);
  if (cached !== undefined && cached.mtimeMs === mtimeMs) return cached.module;
  // esbuild and acorn are loaded when a module is, not with every command.
  const [{ bundleModule }, { instrument }] = await Promise.all([import('./bundle.ts'), import('./instrument.ts')]);
  const code = instrument(await bundleModule(file));
  let module: ConfinedModule;
  try {
    module = new ConfinedModule(file, code);
  } catch (err) {
    throw new DescriptionError(`${file}: cannot compile the module: ${describeThrown(err, 'the compiler')}`);
  }
  compiled.set(file, { mtimeMs, module });
  return module;
}

/** The export names of the module's description instance (what it exports, as `import` would see). */
export function exportNames(module: ConfinedModule, shown: string): string[] {
  return describing(shown, () => module.describe(`${shown}: the module`, DEFAULT_LIMITS.crank_steps_max, (make) => Object.keys(make())));
}

/**
 * The system the module exports under `exportName`, or null if it exports nothing by that name.
 * `shown` names the file in messages.
 */
export function confinedSystem(module: ConfinedModule, exportName: string, shown: string): SystemSpec | null {
  const steps = DEFAULT_LIMITS.crank_steps_max;
  return describing(shown, () =>
    module.describe(`${shown}: the module`, steps, (make) => {
      const exported = make()[exportName];
      if (exported === undefined) return null;
      if (typeof exported !== 'object' || exported === null) throw new DescriptionError(`${shown}: '${exportName}' is not a system description (an object)`);
      const spec = exported as Record<string, unknown>;
      const name = dataOf(spec, 'name', shown);
      const programs = dataOf(spec, 'programs', shown);
      const wrappers: Record<string, Program> = {};
      if (typeof programs === 'object' && programs !== null) {
        for (const key of Object.keys(programs)) {
          const program = dataOf(programs as Record<string, unknown>, key, shown);
          // checkSpec says what is missing; here only what it would see is built.
          if (handler(program, 'init') && handler(program, 'receive')) wrappers[key] = module.program({ exportName, name: key });
        }
      }
      const input = dataOf(spec, 'input', shown);
      const host: SystemSpec = {
        name: name as string,
        description: dataOf(spec, 'description', shown) as string,
        programs: typeof programs === 'object' && programs !== null ? wrappers : (programs as SystemSpec['programs']),
        processes: dataOf(spec, 'processes', shown) as SystemSpec['processes'],
        endpoints: dataOf(spec, 'endpoints', shown) as SystemSpec['endpoints'],
        storage: dataOf(spec, 'storage', shown) as SystemSpec['storage'],
        gatekeepers: dataOf(spec, 'gatekeepers', shown) as SystemSpec['gatekeepers'],
        caps: dataOf(spec, 'caps', shown) as SystemSpec['caps'],
      };
      if (input !== undefined) {
        if (typeof input !== 'function') throw new DescriptionError(`${shown}: system '${String(name)}': input is not a function`);
        host.input = (i) => callInput(module, input as (i: number) => unknown, i, shown, String(name));
      }
      addPromises(host, spec, module, shown);
      return host;
    }),
  );
}

function callInput(module: ConfinedModule, input: (i: number) => unknown, i: number, shown: string, system: string): InputSpec | null {
  return describing(`${shown}: system '${system}'`, () =>
    module.describe(`input(${i})`, DEFAULT_LIMITS.crank_steps_max, () => {
      const next = input(i);
      if (next === null || next === undefined) return null;
      try {
        freezePlain(next, Number.MAX_SAFE_INTEGER, DEFAULT_LIMITS.payload_depth_max);
      } catch (err) {
        throw new ProgramFault(`input(${i}) returned what is not plain data: ${(err as Error).message}`);
      }
      return next as InputSpec;
    }),
  );
}

/** Turns a fault of description code into a DescriptionError naming where. */
function describing<T>(where: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof DescriptionError) throw err;
    if (err instanceof ProgramFault) throw new DescriptionError(err.message.startsWith(where) ? err.message : `${where}: ${err.message}`);
    throw err;
  }
}

/** An own data property; a getter is refused (it would run the module's code at any later read). */
function dataOf(object: Record<string, unknown>, key: string, shown: string): unknown {
  const d = Object.getOwnPropertyDescriptor(object, key);
  if (d === undefined) return undefined;
  if (!('value' in d)) throw new DescriptionError(`${shown}: '${key}' of the description is a getter; give it as a value`);
  return d.value;
}

/** True when `program` has a function `key`, own or inherited, as a data property. */
function handler(program: unknown, key: string): boolean {
  let o = program as object | null;
  for (let depth = 0; typeof o === 'object' && o !== null && depth < 8; depth++) {
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d !== undefined) return 'value' in d && typeof d.value === 'function';
    o = Object.getPrototypeOf(o) as object | null;
  }
  return false;
}

type Fn = (...args: never[]) => unknown;

/**
 * What the system promises its clients — the clients, the sequential model, `reflects` — as
 * host functions that run the description's own code in its realm, each call within the
 * budget and named in any error. checkSpec then judges their shape as for any description.
 */
function addPromises(host: SystemSpec, spec: Record<string, unknown>, module: ConfinedModule, shown: string): void {
  const steps = DEFAULT_LIMITS.crank_steps_max;
  const where = `${shown}: system '${host.name}'`;
  const call = (what: string, fn: unknown, args: readonly unknown[]): unknown => {
    if (typeof fn !== 'function') throw new DescriptionError(`${where}: ${what} is not a function`);
    return describing(where, () => module.callDescribed(what, steps, fn as Fn, args));
  };
  const clients = dataOf(spec, 'clients', shown);
  if (Array.isArray(clients)) {
    host.clients = clients.map((c: unknown) => {
      const client = (typeof c === 'object' && c !== null ? c : {}) as Record<string, unknown>;
      const name = dataOf(client, 'name', shown) as string;
      const ops = dataOf(client, 'ops', shown);
      return {
        name,
        cap: dataOf(client, 'cap', shown) as ClientSpec['cap'],
        ops: (i: number) => {
          const next = call(`client '${String(name)}' ops(${i})`, ops, [i]);
          if (next === null || next === undefined) return null;
          try {
            freezePlain(next, Number.MAX_SAFE_INTEGER, DEFAULT_LIMITS.payload_depth_max);
          } catch (err) {
            throw new DescriptionError(`${where}: client '${String(name)}' ops(${i}) returned what is not plain data: ${(err as Error).message}`);
          }
          return next as ClientOp;
        },
      };
    });
  } else if (clients !== undefined) host.clients = clients as SystemSpec['clients'];
  const model = dataOf(spec, 'model', shown);
  if (typeof model === 'object' && model !== null) {
    const m = model as Record<string, unknown>;
    const key = dataOf(m, 'key', shown);
    const init = dataOf(m, 'init', shown);
    const step = dataOf(m, 'step', shown);
    host.model = {
      init: () => call('model.init()', init, []),
      step: (state, op) => call(`model.step(state, ${JSON.stringify(op.op)})`, step, [state, op]) as [unknown, unknown],
      ...(key === undefined ? {} : { key: (op: { op: string; value: unknown }) => String(call(`model.key(${JSON.stringify(op.op)})`, key, [op])) }),
    };
    if (typeof init !== 'function' || typeof step !== 'function') host.model = model as SystemSpec['model'];
  } else if (model !== undefined) host.model = model as SystemSpec['model'];
  const reflects = dataOf(spec, 'reflects', shown);
  if (typeof reflects === 'function') host.reflects = (op, restored, history) => call('reflects(operation, restored)', reflects, [op, restored, history]) === true;
  else if (reflects !== undefined) host.reflects = reflects as SystemSpec['reflects'];
}

/**
 * The history checkers the module exports as `checks` (name → function of the history and the
 * restored system), each run in the module's realm within the budget; none if it exports none.
 */
export function confinedChecks(module: ConfinedModule, shown: string): Record<string, (history: unknown, restored: unknown) => never> {
  const steps = DEFAULT_LIMITS.crank_steps_max;
  const found = describing(shown, () =>
    module.describe(`${shown}: the module`, steps, (make) => {
      const checks = make().checks;
      if (checks === undefined) return {};
      if (typeof checks !== 'object' || checks === null) throw new DescriptionError(`${shown}: 'checks' must be an object of named checker functions`);
      const fns: Record<string, Fn> = {};
      for (const name of Object.keys(checks)) {
        const check = dataOf(checks as Record<string, unknown>, name, shown);
        if (typeof check !== 'function') throw new DescriptionError(`${shown}: checks.${name} is not a function (history, restored) => verdict`);
        fns[name] = check as Fn;
      }
      return fns;
    }),
  );
  const wrapped: Record<string, (history: unknown, restored: unknown) => never> = {};
  for (const [name, check] of Object.entries(found)) {
    wrapped[name] = (history, restored) => describing(shown, () => module.callDescribed(`checks.${name}`, steps, check, [history, restored])) as never;
  }
  return wrapped;
}
