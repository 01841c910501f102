/**
 * The built-in persistence models by name, and the check a model of the user's own passes
 * before a System runs it: a SystemOptions.model is a built-in's name or a model object.
 */
import { SystemError } from '../system-error.ts';
import { bothModel } from './both.ts';
import { checkpointModel } from './checkpoint.ts';
import { explicitModel } from './explicit.ts';
import type { PersistenceModel } from './interface.ts';
import { transcriptModel } from './transcript/transcript.ts';

export type BuiltInModelName = 'explicit' | 'checkpoint' | 'both' | 'transcript';

/** The built-in models' names, in the order help texts list them. */
export const PERSISTENCE_MODELS: readonly BuiltInModelName[] = ['explicit', 'checkpoint', 'both', 'transcript'];

export const BUILT_IN_MODELS: Readonly<Record<BuiltInModelName, PersistenceModel>> = {
  explicit: explicitModel,
  checkpoint: checkpointModel,
  both: bothModel,
  transcript: transcriptModel,
};

/** What SystemOptions.model takes: a built-in model's name, or a model object (a user's own). */
export type ModelChoice = string | PersistenceModel;

/** A model's name as the store's mark and file names allow it. */
export const MODEL_NAME = /^[a-z][a-z0-9-]{0,63}$/;

export function isBuiltInModel(name: string): name is BuiltInModelName {
  return (PERSISTENCE_MODELS as readonly string[]).includes(name);
}

/** The model a choice names; SystemError('model_unavailable') for an unknown name, ('model_invalid') for an object that is not a model. */
export function resolveModel(choice: ModelChoice): PersistenceModel {
  if (typeof choice === 'string') {
    if (isBuiltInModel(choice)) return BUILT_IN_MODELS[choice];
    throw new SystemError('model_unavailable', `persistence model '${choice}' is not built in; use one of: ${PERSISTENCE_MODELS.join(', ')}, or a model of your own (a module that exports 'model')`);
  }
  const model = checkModel(choice, 'the persistence model');
  if (isBuiltInModel(model.name) && model !== BUILT_IN_MODELS[model.name]) {
    throw new SystemError('model_invalid', `a model of your own cannot be named '${model.name}', as a built-in is: a store would be booted with the wrong one`);
  }
  return model;
}

const HOOKS = ['commit', 'afterCrank', 'afterCheckpoint', 'makeDurable', 'powerLoss', 'boot', 'judge'] as const;

/**
 * Checks that `value` is a persistence model, naming what is wrong in one line (`where` says
 * whose: a file, an option). The driver's hooks are checked on a driver made for the purpose.
 */
export function checkModel(value: unknown, where: string): PersistenceModel {
  const bad = (why: string): never => {
    throw new SystemError('model_invalid', `${where}: ${why}`);
  };
  if (typeof value !== 'object' || value === null) return bad('is not a persistence model object (name, summary, checkpoints, driver())');
  const m = value as Partial<Record<keyof PersistenceModel, unknown>>;
  if (typeof m.name !== 'string' || !MODEL_NAME.test(m.name)) return bad(`its name ${JSON.stringify(m.name)} is not lowercase letters, digits and dashes`);
  if (typeof m.summary !== 'string') return bad(`model '${m.name}' has no summary (one line)`);
  if (typeof m.checkpoints !== 'boolean') return bad(`model '${m.name}': checkpoints must be true or false`);
  if (m.writesRecords !== undefined && typeof m.writesRecords !== 'boolean') return bad(`model '${m.name}': writesRecords must be true, false or left out`);
  if (typeof m.driver !== 'function') return bad(`model '${m.name}' has no driver() function`);
  let driver: unknown;
  try {
    driver = (m.driver as () => unknown).call(value);
  } catch (error) {
    return bad(`model '${m.name}': driver() threw: ${firstLine(error)}`);
  }
  if (typeof driver !== 'object' || driver === null) return bad(`model '${m.name}': driver() returned no driver object`);
  const missing = HOOKS.filter((h) => typeof (driver as Record<string, unknown>)[h] !== 'function');
  if (missing.length > 0) return bad(`model '${m.name}': its driver lacks ${missing.join(', ')}`);
  return value as PersistenceModel;
}

export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
