/**
 * The project's root folder (where capsim's package.json is), for the files capsim reads
 * beside its code: examples, the viewer's page, the benchmarks, the worker entries. Found by
 * walking up from this module rather than by a fixed `../..`, because the same code runs from
 * its source (tools/runtime/) and bundled into build/ (bin/build.js), at different depths.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders walked up at most: the build and the sources are both a few levels below the root. */
const LEVELS_MAX = 8;

function findRoot(start: string): string {
  let dir = start;
  for (let level = 0; level < LEVELS_MAX; level++) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'capsim') return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`capsim's package.json is not within ${LEVELS_MAX} folders above ${start}`);
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the project: `projectPath('examples', 'counter.ts')`. */
export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}
