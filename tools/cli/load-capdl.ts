/**
 * A .cdl file as a system: read, imported onto capsim (tools/capdl), with the programs of an
 * overlay module beside it when there is one — `NAME.overlay.ts` (or .js, .mjs) for `NAME.cdl`,
 * exporting `overlay` ({ programs, assign }: see tools/capdl/import/programs.ts) — and the
 * programs of the built-in example an export came from.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkSpec } from '../../kernel/index.ts';
import { importModule } from '../runtime/import-module.ts';
import { EXAMPLES } from '../../examples/index.ts';
import { CapdlError, projectModel, readCapdl, type CapdlModel, type CapdlOverlay, type ImportResult } from '../capdl/index.ts';
import { CommandFailed, UsageError } from './errors.ts';

export function isCapdlPath(ref: string): boolean {
  return ref.toLowerCase().endsWith('.cdl');
}

/** The model of a .cdl file; a mistake in it is one line with file, line and column. */
export function readCapdlFile(path: string): CapdlModel {
  const file = resolve(path);
  if (!existsSync(file)) throw new UsageError(`${path}: no such file`);
  if (!statSync(file).isFile()) throw new UsageError(`${path}: not a file`);
  try {
    return readCapdl(readFileSync(file, 'utf8'), path);
  } catch (err) {
    if (err instanceof CapdlError) throw new CommandFailed(err.message);
    throw err;
  }
}

export async function importCapdlFile(path: string, opts: { strict?: boolean } = {}): Promise<ImportResult> {
  const model = readCapdlFile(path);
  const overlay = await loadOverlay(path);
  let result: ImportResult;
  try {
    result = projectModel(model, { strict: opts.strict, overlay, programsOf: (name) => (Object.prototype.hasOwnProperty.call(EXAMPLES, name) ? EXAMPLES[name]?.programs : undefined) });
    checkSpec(result.spec);
  } catch (err) {
    if (err instanceof CapdlError) throw new CommandFailed(err.message);
    throw new CommandFailed(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return result;
}

async function loadOverlay(path: string): Promise<CapdlOverlay | undefined> {
  const stem = resolve(path).replace(/\.cdl$/i, '');
  const file = ['.overlay.ts', '.overlay.mts', '.overlay.js', '.overlay.mjs'].map((ext) => `${stem}${ext}`).find((f) => existsSync(f));
  if (file === undefined) return undefined;
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(file);
  } catch (err) {
    throw new CommandFailed(`${file}: cannot load the overlay: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const overlay = mod.overlay as CapdlOverlay | undefined;
  if (typeof overlay !== 'object' || overlay === null) throw new CommandFailed(`${file}: exports no 'overlay' (add: export const overlay = { programs: {...}, assign: { tcbName: 'program' } })`);
  return overlay;
}
