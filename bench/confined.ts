/** A benchmark's programs loaded confined, exactly as the CLI loads a user's module. */
import { fileURLToPath } from 'node:url';
import type { SystemSpec } from '../kernel/index.ts';
import { confinedModule, confinedSystem } from '../tools/loader/index.ts';

export async function loadConfined(relativePath: string): Promise<SystemSpec> {
  const file = fileURLToPath(new URL(relativePath, import.meta.url));
  const spec = confinedSystem(await confinedModule(file), 'system', file);
  if (spec === null) throw new Error(`${file} exports no system`);
  return spec;
}
