/**
 * A model of the user's own runs in the System's hooks: a hook that throws something other
 * than capsim's own typed errors is the model's bug, reported in one line naming the model,
 * where it came from and the hook — not a stack trace from inside the System.
 */
import { KernelError, KernelUsageError } from '../../kernel/index.ts';
import { StoreError } from '../../store/index.ts';
import { SystemError } from '../system-error.ts';
import type { ModelDriver, PersistenceModel } from './interface.ts';
import { BUILT_IN_MODELS, firstLine, isBuiltInModel } from './registry.ts';

/** Where a model was loaded from (set by the loader), for its error messages. */
export const MODEL_SOURCE = Symbol('capsim.modelSource');

export type SourcedModel = PersistenceModel & { [MODEL_SOURCE]?: string };

function passes(error: unknown): boolean {
  return error instanceof SystemError || error instanceof StoreError || error instanceof KernelError || error instanceof KernelUsageError;
}

/** The driver itself for a built-in; for a user's model, the same hooks with their errors named. */
export function guardDriver(model: SourcedModel, driver: ModelDriver): ModelDriver {
  if (isBuiltInModel(model.name) && model === BUILT_IN_MODELS[model.name]) return driver;
  const where = `persistence model '${model.name}'${model[MODEL_SOURCE] !== undefined ? ` (${model[MODEL_SOURCE]})` : ''}`;
  const fail = (hook: string, error: unknown): never => {
    if (passes(error)) throw error;
    throw new SystemError('model_failed', `${where}: ${hook}() threw: ${firstLine(error)}`);
  };
  const guardAsync =
    <A extends unknown[], R>(hook: string, f: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await f.apply(driver, args);
      } catch (error) {
        return fail(hook, error);
      }
    };
  const guardSync =
    <A extends unknown[], R>(hook: string, f: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return f.apply(driver, args);
      } catch (error) {
        return fail(hook, error);
      }
    };
  return {
    commit: guardAsync('commit', driver.commit),
    afterCrank: guardAsync('afterCrank', driver.afterCrank),
    afterCheckpoint: guardAsync('afterCheckpoint', driver.afterCheckpoint),
    makeDurable: guardAsync('makeDurable', driver.makeDurable),
    powerLoss: guardSync('powerLoss', driver.powerLoss),
    boot: guardAsync('boot', driver.boot),
    judge: guardSync('judge', driver.judge),
  };
}
