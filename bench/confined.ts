/**
 * A benchmark's programs loaded confined, exactly as the CLI loads a user's module — and, as
 * the CLI does, once per process: every run of a benchmark uses the same loaded module (one
 * realm), rather than a new realm per run, which no command makes.
 */
import { fileURLToPath } from 'node:url';
import type { SystemSpec } from '../kernel/index.ts';
import { confinedModule, confinedSystem } from '../tools/loader/index.ts';

const loaded = new Map<string, Promise<SystemSpec>>();

export function loadConfined(relativePath: string): Promise<SystemSpec> {
  let spec = loaded.get(relativePath);
  if (spec === undefined) loaded.set(relativePath, (spec = load(relativePath)));
  return spec;
}

async function load(relativePath: string): Promise<SystemSpec> {
  const file = fileURLToPath(new URL(relativePath, import.meta.url));
  const spec = confinedSystem(await confinedModule(file), 'system', file);
  if (spec === null) throw new Error(`${file} exports no system`);
  return spec;
}
