/**
 * Resolving the system a command runs: a built-in example by name, or a user's TypeScript
 * module that exports `system` (a SystemSpec). A module is loaded by dynamic import of its file
 * URL (the CLI runs under tsx, so .ts works) and checked with the kernel's checkSpec; every
 * problem is one line naming the file and what is wrong.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkSpec, type SystemSpec } from '../../kernel/index.ts';
import { EXAMPLES } from '../../examples/index.ts';
import { openStore, StoreError } from '../../store/index.ts';
import { heldSystemName, System, type RestartReport } from '../../restart-agent/index.ts';
import { withConsole } from '../repl/console.ts';
import { CommandFailed, UsageError } from './errors.ts';
import { storeLocation } from './locate.ts';

const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);

/** True when `ref` reads as a file path rather than an example name. */
export function looksLikePath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || MODULE_EXTENSIONS.has(extname(ref));
}

/**
 * The example named `ref`, or the `system` a module at path `ref` exports — with the REPL
 * console's program beside its own, so a store whose checkpoint caught a console boots here.
 */
export async function loadSystem(ref: string): Promise<SystemSpec> {
  const example = Object.prototype.hasOwnProperty.call(EXAMPLES, ref) ? EXAMPLES[ref] : undefined;
  if (example && !looksLikePath(ref)) return withConsole(example);
  if (!looksLikePath(ref) && !existsSync(ref)) {
    throw new UsageError(`no example system '${ref}' and no file of that name (examples: ${Object.keys(EXAMPLES).join(', ')}; or give a path to a module that exports 'system')`);
  }
  return withConsole(await loadSystemModule(ref));
}

export async function loadSystemModule(path: string): Promise<SystemSpec> {
  const file = resolve(path);
  if (!existsSync(file)) throw new UsageError(`${path}: no such file (give an example name or a path to a module that exports 'system')`);
  if (!statSync(file).isFile()) throw new UsageError(`${path}: not a file`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw new CommandFailed(`${path}: cannot load the module: ${firstLine(err)}`);
  }
  if (!('system' in mod) || mod.system === undefined) {
    const exported = Object.keys(mod).filter((k) => k !== 'default');
    throw new CommandFailed(`${path}: exports no 'system' (found: ${exported.length > 0 ? exported.join(', ') : 'nothing'}); add: export const system: SystemSpec = { ... }`);
  }
  const spec = mod.system as SystemSpec;
  try {
    checkSpec(spec);
  } catch (err) {
    throw new CommandFailed(`${path}: ${firstLine(err)}`);
  }
  if (typeof spec.description !== 'string') throw new CommandFailed(`${path}: system '${spec.name}': needs a description`);
  return spec;
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0] ?? message;
}

/** The name of the system a store holds (the restart agent writes it under /system/ in the directory), or null. */
export async function storedSystemName(storePath: string): Promise<string | null> {
  const store = await openStore({ backend: 'classic', path: storePath, create: false });
  try {
    return await heldSystemName(store);
  } finally {
    await store.close();
  }
}

/**
 * Boots the system a store folder holds (System.open), with the programs of `systemRef` or,
 * when none is named, of the example the store says it holds.
 */
export async function openStoredSystem(opts: { store: string; system?: string; seed?: number }): Promise<{ system: System; report: RestartReport; spec: SystemSpec }> {
  const location = storeLocation(opts.store);
  if (!(await System.exists(location))) throw new UsageError(`no capsim system in ${opts.store}: make one with 'capsim run <system> --store ${opts.store}'`);
  let ref = opts.system;
  if (ref === undefined) {
    const held = location.backend === 'classic' ? await storedSystemName(location.path) : null;
    if (held === null) {
      throw new StoreError('damaged', `${opts.store} holds a system but the directory entry naming it is missing or damaged: not booted, since its programs would be a guess; capsim verify names the problem`, { record: 'system label' });
    }
    if (!Object.prototype.hasOwnProperty.call(EXAMPLES, held)) {
      throw new UsageError(`${opts.store} holds system '${held ?? '?'}', which is no built-in example: name its module with --system <path>`);
    }
    ref = held;
  }
  const spec = await loadSystem(ref);
  const { system, report } = await System.open({ spec, store: location, seed: opts.seed ?? 1 });
  return { system, report, spec };
}
