/**
 * A user's system module, bundled into one piece of CommonJS-shaped code for a confined realm:
 * esbuild reads it and everything it imports straight from disk — .ts, .mts, .js or .mjs,
 * whatever package.json is (or is not) near it — so no Node module loader is involved.
 *
 *   - `capsim/kernel`, or any path to capsim's kernel/index.ts, is the program API: the realm's
 *     KernelError and the rights constants and helpers, nothing of the kernel's machinery;
 *   - a Node built-in (fs, node:net, ...) and the rest of capsim are refused, naming the import;
 *   - a source that uses the reserved `$capsim$` prefix is refused;
 *   - a syntax error reads "file:line:column: message".
 */
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { extname, resolve } from 'node:path';
import { build, type Loader, type Message, type Plugin } from 'esbuild';
import { KERNEL_ERROR_CODES } from '../../kernel/index.ts';
import { RESERVED_PREFIX } from '../../kernel/confine/realm.ts';
import { PROJECT_ROOT } from '../runtime/project-root.ts';
import { DescriptionError } from './errors.ts';
import { describeEsbuildError } from '../runtime/esbuild-message.ts';

const CAPSIM_ROOT = PROJECT_ROOT;
const KERNEL_INDEX = resolve(CAPSIM_ROOT, 'kernel/index.ts');
const RIGHTS = resolve(CAPSIM_ROOT, 'kernel/caps/rights.ts');
const API_NAMESPACE = 'capsim-program-api';

const LOADERS: Readonly<Record<string, Loader>> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx', '.json': 'json' };


const API_SOURCE = [
  `export const { KernelError, STORE_SLOT } = ${RESERVED_PREFIX}api;`,
  `export { READ, WRITE, GRANT, WEAK, ALL_RIGHTS, RIGHTS_MASK, formatRights, parseRights, isDiminished, hasRights } from ${JSON.stringify(RIGHTS)};`,
  `export const KERNEL_ERROR_CODES = Object.freeze(${JSON.stringify(KERNEL_ERROR_CODES)});`,
].join('\n');

function confinedImports(): Plugin {
  return {
    name: 'capsim-confined-imports',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.namespace === API_NAMESPACE) return undefined;
        if (args.path === 'capsim/kernel' || args.path === 'capsim') return { path: 'kernel', namespace: API_NAMESPACE };
        if (args.path.startsWith('capsim/')) return { errors: [{ text: `imports '${args.path}': a program may import only 'capsim/kernel' (the program API)` }] };
        if (isBuiltin(args.path)) return { errors: [{ text: `imports '${args.path}', a Node module: a confined program has no file system, network, timers or process; it acts only through ctx` }] };
        if (args.path.startsWith('.') || args.path.startsWith('/')) {
          const target = resolve(args.resolveDir, args.path);
          if (target === KERNEL_INDEX || target === resolve(CAPSIM_ROOT, 'kernel')) return { path: 'kernel', namespace: API_NAMESPACE };
        }
        return undefined;
      });
      b.onLoad({ filter: /.*/, namespace: API_NAMESPACE }, () => ({ contents: API_SOURCE, loader: 'js', resolveDir: CAPSIM_ROOT }));
      b.onLoad({ filter: /.*/, namespace: 'file' }, (args) => {
        const contents = readFileSync(args.path, 'utf8');
        if (contents.includes(RESERVED_PREFIX)) {
          return { errors: [{ text: `uses the name prefix '${RESERVED_PREFIX}', which capsim reserves for the confinement` }] };
        }
        return { contents, loader: LOADERS[extname(args.path)] ?? 'js' };
      });
    },
  };
}

/** Bundles the module at `file` (absolute); throws DescriptionError. */
export async function bundleModule(file: string): Promise<string> {
  try {
    const result = await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'neutral',
      target: 'es2022',
      mainFields: ['module', 'main'],
      conditions: ['import', 'default'],
      logLevel: 'silent',
      sourcemap: false,
      plugins: [confinedImports()],
    });
    const out = result.outputFiles[0];
    if (out === undefined) throw new DescriptionError(`${file}: esbuild produced no output`);
    return out.text;
  } catch (err) {
    if (err instanceof DescriptionError) throw err;
    const first = (err as { errors?: Message[] }).errors?.[0];
    if (first === undefined) throw new DescriptionError(`${file}: cannot bundle the module: ${(err as Error).message.split('\n')[0]}`);
    throw new DescriptionError(describeEsbuildError(first, file));
  }
}
