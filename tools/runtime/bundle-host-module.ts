/**
 * A user's host-side module (an experiment file) made loadable from anywhere: esbuild reads it
 * and what it imports straight from disk — .ts, .mts, .js or .mjs, with or without a
 * package.json near it — into one ES module in a temporary folder, which is then imported.
 * Node's own loader, given the file itself, refused a TypeScript module outside this package
 * ("Cannot require() ES Module … in a cycle") and could not resolve `capsim/...` from a folder
 * that does not depend on capsim.
 *
 * `capsim` and `capsim/<part>` resolve to this capsim's modules (package.json's exports) and
 * stay outside the bundle, so the file shares the running capsim's classes (KernelError,
 * System, ...) rather than a copy of them. Node's built-ins stay outside too.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Message, type Plugin } from 'esbuild';
import { compiledEntries } from '../../bin/compiled.js';
import { describeEsbuildError } from './esbuild-message.ts';
import { compiledAhead, importModule } from './import-module.ts';
import { PROJECT_ROOT } from './project-root.ts';

/**
 * capsim's public modules by import specifier, from package.json's exports: each the file this
 * capsim runs it from — its compiled entry when capsim itself runs from the ahead-of-time build
 * (so the module and capsim share one copy of every class), else its source.
 */
function capsimExports(): Map<string, string> {
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { exports?: Record<string, string> };
  const exports = Object.entries(manifest.exports ?? {}).map(([subpath, target]) => ({ subpath, source: target.replace(/^\.\//, '') }));
  const compiled = compiledAhead ? compiledEntries(exports.map((e) => e.source)) : new Map<string, string>();
  const out = new Map<string, string>();
  for (const { subpath, source } of exports) {
    const url = compiled.get(source);
    out.set(subpath === '.' ? 'capsim' : `capsim/${subpath.replace(/^\.\//, '')}`, url !== undefined ? fileURLToPath(url) : join(PROJECT_ROOT, source));
  }
  return out;
}

/** Resolves capsim/... to `exported`, outside the bundle; `used` collects the files the module imports so. */
function capsimImports(exported: Map<string, string>, used: Set<string>): Plugin {
  return {
    name: 'capsim-host-imports',
    setup(b) {
      b.onResolve({ filter: /^capsim(\/.*)?$/ }, (args) => {
        const target = exported.get(args.path);
        if (target === undefined) return { errors: [{ text: `imports '${args.path}', which capsim does not export (it exports ${[...exported.keys()].join(', ')})` }] };
        used.add(target);
        return { path: target, external: true };
      });
    },
  };
}

export class HostModuleError extends Error {}

/** Bundles `file` (absolute) and imports the result; a syntax or resolution error is a HostModuleError of one line. */
export async function importHostModule(file: string): Promise<Record<string, unknown>> {
  const exported = capsimExports();
  const used = new Set<string>();
  let code: string;
  try {
    const result = await build({ entryPoints: [file], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent', sourcemap: 'inline', plugins: [capsimImports(exported, used)] });
    code = result.outputFiles[0]?.text ?? '';
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    const first = errors?.[0];
    throw new HostModuleError(first !== undefined ? describeEsbuildError(first, file) : `${file}: cannot bundle the module: ${String(error).split('\n')[0]}`);
  }
  // Named by content: the same file bundles to the same name, so workers share one copy.
  const dir = join(tmpdir(), 'capsim-host-modules');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${createHash('sha256').update(file).update(code).digest('hex').slice(0, 24)}.mjs`);
  writeFileSync(out, code);
  // A bundle that imports capsim's TypeScript sources (capsim running from source, or a build
  // without that entry) needs tsx on this thread; one that imports none, or only compiled ones, does not.
  return importModule(out, { importsTypeScript: [...used].some((t) => t.endsWith('.ts')) });
}
