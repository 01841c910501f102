/**
 * The files the page is made of, by the one name each is served under. Nothing else is ever
 * read from disk for a request: a name not in this table is not found, whatever dots or
 * slashes it holds.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { projectPath } from '../runtime/project-root.ts';

const here = (file: string): string => projectPath('tools', 'view', 'static', file);

interface Asset {
  path: string;
  type: string;
}

/** Served as /assets/<name>; index.html is the page itself, served as /. */
export const ASSETS: ReadonlyMap<string, Asset> = new Map([
  ['index.html', { path: here('index.html'), type: 'text/html; charset=utf-8' }],
  ['view.js', { path: here('view.js'), type: 'text/javascript; charset=utf-8' }],
  ['spacetime.js', { path: here('spacetime.js'), type: 'text/javascript; charset=utf-8' }],
  ['view.css', { path: here('view.css'), type: 'text/css; charset=utf-8' }],
  // From the package's own dependency: no CDN, no network.
  ['cytoscape.min.js', { path: createRequire(import.meta.url).resolve('cytoscape/dist/cytoscape.min.js'), type: 'text/javascript; charset=utf-8' }],
]);

const cache = new Map<string, Buffer>();

/** The asset's bytes and type; null when `name` is not one of them. */
export async function readAsset(name: string): Promise<{ body: Buffer; type: string } | null> {
  const asset = ASSETS.get(name);
  if (asset === undefined) return null;
  let body = cache.get(name);
  if (body === undefined) {
    body = await readFile(asset.path);
    cache.set(name, body);
  }
  return { body, type: asset.type };
}
