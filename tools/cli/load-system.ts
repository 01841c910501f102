/**
 * Resolving the system a command runs: a built-in example by name, a capDL file (.cdl), or a
 * user's module (.ts, .mts, .js, .mjs, anywhere on disk) that exports `system` (a SystemSpec).
 * Examples and modules are loaded the same way, confined (tools/loader): bundled, instrumented,
 * compiled into a realm of their own, and checked with the kernel's checkSpec; every problem is
 * one line naming the file.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { checkSpec, type SystemSpec } from '../../kernel/index.ts';
import { confinedChecks, confinedModule, confinedSystem, DescriptionError, EXAMPLE_MODULES, exportNames } from '../loader/index.ts';
import { EXAMPLES } from '../../examples/index.ts';
import { StoreError } from '../../store/index.ts';
import { heldSystemName, System, type RestartReport } from '../../restart-agent/index.ts';
import { withConsole } from '../repl/console.ts';
import { CommandFailed, UsageError } from './errors.ts';
import type { HistoryCheck } from '../testing/checkers/index.ts';
import { storeLocation } from './locate.ts';
import { noSystemIn, openExistingStore } from './open-existing.ts';

const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs', '.cdl']);

/** True when `ref` reads as a file path rather than an example name. */
export function looksLikePath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || MODULE_EXTENSIONS.has(extname(ref));
}

/**
 * The example named `ref`, the `system` a module at path `ref` exports, or the system a capDL
 * file (.cdl) describes, imported (tools/cli/load-capdl.ts) — with the REPL
 * console's program beside its own, so a store whose checkpoint caught a console boots here.
 */
export async function loadSystem(ref: string): Promise<SystemSpec> {
  const example = Object.prototype.hasOwnProperty.call(EXAMPLE_MODULES, ref) ? EXAMPLE_MODULES[ref] : undefined;
  if (example && !looksLikePath(ref)) return withConsole(await loadConfined(example.file, example.exportName, `example '${ref}'`));
  if (!looksLikePath(ref) && !existsSync(ref)) {
    throw new UsageError(`no example system '${ref}' and no file of that name (examples: ${Object.keys(EXAMPLES).join(', ')}; or give a path to a module that exports 'system')`);
  }
  // Loaded only for a .cdl file, so that every other command starts without the capDL reader.
  if (ref.toLowerCase().endsWith('.cdl')) return withConsole((await (await import('./load-capdl.ts')).importCapdlFile(ref)).spec);
  return withConsole(await loadSystemModule(ref));
}

export async function loadSystemModule(path: string): Promise<SystemSpec> {
  const file = resolve(path);
  if (!existsSync(file)) throw new UsageError(`${path}: no such file (give an example name or a path to a module that exports 'system')`);
  if (!statSync(file).isFile()) throw new UsageError(`${path}: not a file`);
  return loadConfined(file, 'system', path);
}

async function loadConfined(file: string, exportName: string, shown: string): Promise<SystemSpec> {
  let spec: SystemSpec | null;
  try {
    const module = await confinedModule(file);
    spec = confinedSystem(module, exportName, shown);
    if (spec === null) {
      const exported = exportNames(module, shown).filter((k) => k !== 'default');
      throw new CommandFailed(`${shown}: exports no '${exportName}' (found: ${exported.length > 0 ? exported.join(', ') : 'nothing'}); add: export const system: SystemSpec = { ... }`);
    }
  } catch (err) {
    if (err instanceof DescriptionError) throw new CommandFailed(err.message);
    throw err;
  }
  try {
    checkSpec(spec);
  } catch (err) {
    throw new CommandFailed(`${shown}: ${firstLine(err)}`);
  }
  if (typeof spec.description !== 'string') throw new CommandFailed(`${shown}: system '${spec.name}': needs a description`);
  return spec;
}

/**
 * The history checkers a system module exports as `checks` (name → function of the history and
 * the restored system), beside those its description asks for. None for a built-in example:
 * its description carries its model and what it reflects.
 */
export async function loadHistoryChecks(ref: string): Promise<Record<string, HistoryCheck>> {
  const example = Object.prototype.hasOwnProperty.call(EXAMPLES, ref) && !looksLikePath(ref);
  if (example || !existsSync(ref) || extname(ref) === '.cdl') return {};
  let found: Record<string, HistoryCheck>;
  try {
    found = confinedChecks(await confinedModule(resolve(ref)), ref);
  } catch (err) {
    if (err instanceof DescriptionError) throw new CommandFailed(err.message);
    throw err;
  }
  return found;
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0] ?? message;
}

/** The name of the system a store holds (the restart agent writes it under /system/ in the directory), or null. */
export async function storedSystemName(storePath: string): Promise<string | null> {
  const store = await openExistingStore(storePath);
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
  if (!(await System.exists(location))) throw noSystemIn(opts.store);
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
