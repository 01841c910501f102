/**
 * Loading an experiment file: a TypeScript or JavaScript module exporting `experiment`, or a
 * JSON file holding the same object (without functions). The same file is loaded by every
 * worker, so the definition's functions (parametric systems, metrics) need not cross threads.
 */
import { readFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { importHostModule } from '../runtime/bundle-host-module.ts';
import { checkExperiment, ExperimentError } from './definition.ts';
import type { LoadedExperiment } from './run-trial.ts';

const MODULES = new Set(['.ts', '.mts', '.js', '.mjs']);
const cache = new Map<string, Promise<LoadedExperiment>>();

export function loadExperiment(path: string): Promise<LoadedExperiment> {
  const file = resolve(path);
  let loaded = cache.get(file);
  if (loaded === undefined) {
    loaded = readExperiment(path, file);
    cache.set(file, loaded);
    loaded.catch(() => cache.delete(file));
  }
  return loaded;
}

async function readExperiment(path: string, file: string): Promise<LoadedExperiment> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new ExperimentError(`${path}: no such file`);
  const ext = extname(file);
  let definition: unknown;
  if (ext === '.json') {
    try {
      definition = JSON.parse(await readFile(file, 'utf8')) as unknown;
    } catch (error) {
      throw new ExperimentError(`${path}: not valid JSON: ${(error as Error).message}`);
    }
  } else if (MODULES.has(ext)) {
    let mod: Record<string, unknown>;
    try {
      mod = await importHostModule(file);
    } catch (error) {
      throw new ExperimentError(`${path}: cannot load the module: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
    }
    if (!('experiment' in mod)) throw new ExperimentError(`${path}: exports no 'experiment'`);
    definition = mod.experiment;
  } else {
    throw new ExperimentError(`${path}: an experiment is a .ts, .mts, .js, .mjs or .json file`);
  }
  return { definition: checkExperiment(definition, path), baseDir: dirname(file) };
}
