/**
 * A persistence model of the user's own: a module (.ts, .mts, .js, .mjs) exporting `model`, a
 * PersistenceModel (restart-agent/models/interface.ts) or a function of the model kit (the
 * built-ins and their pieces, restart-agent/models/kit.ts) that returns one. A model runs in the
 * restart agent, not in a program's realm — it is trusted code, like the experiment files that
 * name it — so it is loaded as they are (tools/runtime/bundle-host-module.ts: from anywhere,
 * `capsim/...` resolving to this capsim), not confined. Every problem is one line naming the
 * file: missing, not loadable, exporting no model, a model() that throws, or a model that fails
 * the interface's check.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { BUILT_IN_MODELS, checkModel, isBuiltInModel, MODEL_KIT, MODEL_SOURCE, PERSISTENCE_MODELS, resolveModel, SystemError, type PersistenceModel, type SourcedModel } from '../../restart-agent/index.ts';
import { importHostModule } from '../runtime/bundle-host-module.ts';
import { DescriptionError } from './errors.ts';

const MODULES = new Set(['.ts', '.mts', '.js', '.mjs']);

/** True when `ref` names a model module rather than a built-in model. */
export function looksLikeModelPath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || MODULES.has(extname(ref));
}

/** A built-in model by name, or the model a module at path `ref` exports (relative to `baseDir`, default the working folder). */
export async function loadModel(ref: string, baseDir?: string): Promise<PersistenceModel> {
  if (!looksLikeModelPath(ref)) {
    if (isBuiltInModel(ref)) return BUILT_IN_MODELS[ref];
    throw new DescriptionError(`no persistence model '${ref}': use one of ${PERSISTENCE_MODELS.join(', ')}, or a path to a module that exports 'model'`);
  }
  const file = resolve(baseDir ?? process.cwd(), ref);
  if (!existsSync(file) || !statSync(file).isFile()) throw new DescriptionError(`${ref}: no such file (a persistence model is a module that exports 'model')`);
  if (!MODULES.has(extname(file))) throw new DescriptionError(`${ref}: a persistence model is a .ts, .mts, .js or .mjs module`);
  let mod: Record<string, unknown>;
  try {
    mod = await importHostModule(file);
  } catch (error) {
    throw new DescriptionError(`${ref}: cannot load the module: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
  }
  if (!('model' in mod)) {
    const found = Object.keys(mod).filter((k) => k !== 'default');
    throw new DescriptionError(`${ref}: exports no 'model' (found: ${found.length > 0 ? found.join(', ') : 'nothing'}); add: export function model(kit: ModelKit): PersistenceModel { return { name, summary, checkpoints, driver } }`);
  }
  let exported = mod.model;
  if (typeof exported === 'function') {
    try {
      exported = (exported as (kit: typeof MODEL_KIT) => unknown)(MODEL_KIT);
    } catch (error) {
      throw new DescriptionError(`${ref}: model() threw: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
    }
  }
  try {
    const model = checkModel(exported, ref) as SourcedModel;
    resolveModel(model);
    if (model[MODEL_SOURCE] === undefined && Object.isExtensible(model)) Object.defineProperty(model, MODEL_SOURCE, { value: ref, enumerable: false });
    return model;
  } catch (error) {
    if (error instanceof SystemError) throw new DescriptionError(error.message.startsWith(ref) ? error.message : `${ref}: ${error.message}`);
    throw error;
  }
}
