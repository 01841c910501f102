/**
 * Importing a user's module by path (an experiment file, a capDL overlay, a benchmark file) as
 * Node would, TypeScript included. From source, capsim runs under a TypeScript loader (tsx, or
 * vitest's) that already handles a .ts import. Compiled ahead of time (build/, bin/build.js),
 * it starts without one, to start fast; so the first TypeScript module a user hands it
 * registers tsx then, and only then.
 */
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Replaced by `true` in the ahead-of-time build (bin/build.js); undeclared when run from source. */
declare const CAPSIM_COMPILED_AHEAD: boolean | undefined;

/** Whether this code is the ahead-of-time build rather than its source. */
export const compiledAhead: boolean = typeof CAPSIM_COMPILED_AHEAD !== 'undefined' && CAPSIM_COMPILED_AHEAD;

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);

/** One registration per thread: tsx's loader hooks are registered on the thread that asks. */
let typescriptLoader: Promise<void> | null = null;

function registerTypeScript(): Promise<void> {
  typescriptLoader ??= import('tsx/esm/api').then(({ register }) => void register());
  return typescriptLoader;
}

/**
 * Imports the module at `file` (an absolute path), registering tsx first if it is TypeScript —
 * or, `importsTypeScript`, imports TypeScript modules — and nothing else would compile it.
 */
export async function importModule(file: string, options: { importsTypeScript?: boolean } = {}): Promise<Record<string, unknown>> {
  if (compiledAhead && (TYPESCRIPT.has(extname(file)) || options.importsTypeScript === true)) await registerTypeScript();
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}
