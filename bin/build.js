#!/usr/bin/env node
// Compiles capsim's TypeScript ahead of time into build/ (git-ignored), so that the capsim
// command and its worker threads start without compiling: the prepare script, which npm runs
// on `npm install` and `npm ci` in the project root (`npm run build` runs it by hand).
//
// Each entry point of bin/compiled.js is bundled with esbuild, shared code split into chunks,
// packages left to node_modules. The manifest is written last and names every source read,
// so bin/compiled.js can tell a whole, fresh build from a stale or half-written one. A failed
// build leaves no manifest and does not fail the install: capsim then compiles as it starts.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { BUILD_DIR, ENTRIES, MANIFEST, ROOT } from './compiled.js';

const startedMs = Date.now();
try {
  const { build } = await import('esbuild');
  rmSync(BUILD_DIR, { recursive: true, force: true });
  mkdirSync(BUILD_DIR, { recursive: true });
  const entryPoints = Object.fromEntries(Object.entries(ENTRIES).map(([source, file]) => [file.replace(/\.js$/, ''), source]));
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints,
    outdir: BUILD_DIR,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Error classes and programs are told apart by name in places (errors crossing threads).
    keepNames: true,
    define: { CAPSIM_COMPILED_AHEAD: 'true' },
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = [...Object.keys(result.metafile.inputs), 'tsconfig.json', 'bin/build.js', 'bin/compiled.js'];
  writeFileSync(MANIFEST, `${JSON.stringify({ startedMs, entries: ENTRIES, inputs }, null, 1)}\n`);
  console.log(`capsim: compiled ${inputs.length} sources into build/ in ${Date.now() - startedMs} ms`);
} catch (error) {
  rmSync(MANIFEST, { force: true });
  console.warn(`capsim: the ahead-of-time build failed, so capsim will compile its TypeScript as it starts: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
}
