// capsim's code compiled ahead of time: which entry points the build holds, whether it may be
// used, and importing an entry point from it or else from source.
//
// `npm install` and `npm ci` run the prepare script (bin/build.js), which bundles each entry
// point with esbuild into build/ and writes build/manifest.json last: the sources it read and
// when it started. The build is used only while no source it was made from has changed since:
// a developer who edits a file and runs capsim without rebuilding gets the source, compiled
// by tsx as it starts (slower, never stale). A build that is missing, half-written (no
// manifest) or older than a source is simply not used.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Entry points (source path from the project root) and the file each becomes in build/. */
export const ENTRIES = {
  'tools/cli/main.ts': 'capsim.js',
  'tools/experiment/worker.ts': 'experiment-worker.js',
  'tools/check/worker.ts': 'check-worker.js',
  // package.json's exports, which a user's experiment file or model imports as capsim/...:
  // built beside the rest, so they share its chunks (one KernelError, one System class) and
  // load with no TypeScript compiler on the thread.
  'kernel/index.ts': 'export-kernel.js',
  'store/index.ts': 'export-store.js',
  'restart-agent/index.ts': 'export-restart-agent.js',
  'tools/testing/index.ts': 'export-testing.js',
  'tools/experiment/index.ts': 'export-experiment.js',
};

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BUILD_DIR = `${ROOT}build/`;
export const MANIFEST = `${BUILD_DIR}manifest.json`;

/** The manifest of the build under `root` if the build is complete and newer than every source it holds, else null. */
function freshManifest(root) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(`${root}build/manifest.json`, 'utf8'));
  } catch {
    return null;
  }
  if (typeof manifest?.startedMs !== 'number' || !Array.isArray(manifest.inputs)) return null;
  for (const input of manifest.inputs) {
    // A source changed after the build started, or gone: the build may not match it.
    const stat = statSync(`${root}${input}`, { throwIfNoEntry: false });
    if (stat === undefined || stat.mtimeMs > manifest.startedMs) return null;
  }
  return manifest;
}

/** The file URL of `source`'s compiled entry point when the build is fresh, else null. `root` (ending in /) is for tests. */
export function compiledEntry(source, root = ROOT) {
  return compiledEntries([source], root).get(source) ?? null;
}

/** compiledEntry for several sources, the build's freshness checked once: each source to its file URL, the missing left out. */
export function compiledEntries(sources, root = ROOT) {
  const entries = freshManifest(root)?.entries ?? {};
  const out = new Map();
  for (const source of sources) {
    const file = entries[source];
    if (typeof file === 'string') out.set(source, pathToFileURL(`${root}build/${file}`).href);
  }
  return out;
}

let tsxRegistered = false;

/** Imports a project entry point: compiled when the build is fresh, else its source through tsx. */
export async function importEntry(source) {
  const compiled = compiledEntry(source);
  if (compiled !== null) return import(compiled);
  if (!tsxRegistered) {
    const { register } = await import('tsx/esm/api');
    register();
    tsxRegistered = true;
  }
  return import(pathToFileURL(`${ROOT}${source}`).href);
}
