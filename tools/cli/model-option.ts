/**
 * `--model`: a built-in persistence model's name, or a path to a module that exports `model`
 * (tools/loader/load-model.ts). An unknown name is a usage error; a module that is not a model
 * is one line naming the file.
 */
import { isBuiltInModel, PERSISTENCE_MODELS, type PersistenceModel } from '../../restart-agent/index.ts';
import { loadModel, looksLikeModelPath } from '../loader/index.ts';
import { UsageError } from './errors.ts';

export const MODEL_OPTION_HELP = `persistence model: ${PERSISTENCE_MODELS.join(', ')}, or a path to a module that exports 'model'`;

export async function modelOption(text: string, flag = '--model'): Promise<PersistenceModel> {
  if (!looksLikeModelPath(text) && !isBuiltInModel(text)) {
    throw new UsageError(`${flag} must be one of ${PERSISTENCE_MODELS.join(', ')} or a path to a module that exports 'model', not '${text}'`);
  }
  return loadModel(text);
}
