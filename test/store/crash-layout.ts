/** What the crash child writes, shared with the parent that checks it. */
export const HEAD_ID = 1;
export const RECORDS_PER_BATCH = 5;
/** A child left running would stop here: far more than any kill window allows. */
export const BATCHES_MAX = 1_000_000;

export function recordId(batch: number, j: number): number {
  return 1000 + batch * RECORDS_PER_BATCH + j;
}
