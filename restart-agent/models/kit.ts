/**
 * What a model of one's own may build on, handed to a model module that exports `model` as a
 * function (tools/loader/load-model.ts): the built-in models and the pieces they share. A module
 * takes them from here rather than importing them, and imports capsim for its types only: a
 * capsim started from its ahead-of-time build runs its own copy of these, and a second copy
 * imported from source would make kernels and errors of other classes than the running System's.
 */
import { bothModel } from './both.ts';
import { bootCheckpoint, checkpointModel, CheckpointingDriver, judgeCheckpointBoot } from './checkpoint.ts';
import { commitExplicit, explicitModel, judgeRecords } from './explicit.ts';
import { transcriptModel } from './transcript/transcript.ts';

export const MODEL_KIT = Object.freeze({
  explicitModel,
  checkpointModel,
  bothModel,
  transcriptModel,
  commitExplicit,
  judgeRecords,
  bootCheckpoint,
  judgeCheckpointBoot,
  CheckpointingDriver,
});

export type ModelKit = typeof MODEL_KIT;
