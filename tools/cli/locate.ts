/** Resolving what the user named: a store folder, an example system. */
import { resolve } from 'node:path';
import type { SystemSpec } from '../../kernel/index.ts';
import type { StoreLocation } from '../../restart-agent/index.ts';
import { EXAMPLES } from '../../examples/index.ts';
import { UsageError } from './errors.ts';

export const DEFAULT_STORE_DIR = '.capsim/default';

export function storeLocation(dir: string | undefined): StoreLocation {
  return { backend: 'classic', path: storeFolder(dir) };
}

/** The absolute store folder `--store` names (the default when it names none). */
export function storeFolder(dir: string | undefined): string {
  // resolve('') is the current folder: an empty --store is a mistake, not a request for it.
  if (dir !== undefined && dir.trim() === '') throw new UsageError("--store names a folder; it was given ''");
  return resolve(dir ?? DEFAULT_STORE_DIR);
}

export function exampleNamed(name: string): SystemSpec {
  const spec = EXAMPLES[name];
  if (!spec) throw new UsageError(`no example system '${name}' (known: ${Object.keys(EXAMPLES).join(', ')})`);
  return spec;
}

export function parseCount(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`${what} must be a whole number, got '${text}'`);
  return n;
}
