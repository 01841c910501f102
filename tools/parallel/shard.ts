/**
 * Shards: one deterministic slice of a list of work, so that N machines (or N tasks of a Slurm
 * array or a Kubernetes Indexed Job) together do the whole list, each item exactly once.
 * Item i belongs to shard i mod N, so every shard gets a share of every part of the list.
 */

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

/** Shards at most; more would leave most of them empty. */
export const SHARDS_MAX = 10_000;

/** Whether the item at `index` (its place in the whole list) is this shard's. */
export function inShard(index: number, shard: Shard | null): boolean {
  return shard === null || index % shard.count === shard.index;
}

/** The items of one shard, by each one's place in the whole list. */
export function shardOf<T extends { index: number }>(items: readonly T[], shard: Shard | null): T[] {
  return items.filter((item) => inShard(item.index, shard));
}

/** `shard 2/3` as people count (from 1). */
export function shardLabel(shard: Shard): string {
  return `shard ${shard.index + 1}/${shard.count}`;
}

/**
 * The shard to run: `--shard K/N` (K counted from 1), else a Slurm array task
 * (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT), else a Kubernetes
 * Indexed Job (JOB_COMPLETION_INDEX, with the count in CAPSIM_SHARDS, since Kubernetes does not
 * pass `completions` to the pod), else the whole list (null).
 */
export function resolveShard(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): Shard | null {
  if (flag !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(flag);
    const k = m ? Number(m[1]) : NaN;
    const n = m ? Number(m[2]) : NaN;
    if (!m || n < 1 || n > SHARDS_MAX || k < 1 || k > n) throw new RangeError(`--shard must be K/N with 1 ≤ K ≤ N ≤ ${SHARDS_MAX}, got '${flag}'`);
    return { index: k - 1, count: n };
  }
  if (env.SLURM_ARRAY_TASK_ID !== undefined && env.SLURM_ARRAY_TASK_COUNT !== undefined) {
    const id = Number(env.SLURM_ARRAY_TASK_ID);
    const min = Number(env.SLURM_ARRAY_TASK_MIN ?? '0');
    const count = Number(env.SLURM_ARRAY_TASK_COUNT);
    return checkedShard(id - min, count, 'SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN');
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    if (env.CAPSIM_SHARDS === undefined) throw new RangeError('JOB_COMPLETION_INDEX is set but CAPSIM_SHARDS is not: set it to the Job\'s completions');
    return checkedShard(Number(env.JOB_COMPLETION_INDEX), Number(env.CAPSIM_SHARDS), 'JOB_COMPLETION_INDEX');
  }
  return null;
}

function checkedShard(index: number, count: number, what: string): Shard {
  if (!Number.isSafeInteger(count) || count < 1 || count > SHARDS_MAX) throw new RangeError(`the shard count must be 1..${SHARDS_MAX}, got ${count}`);
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) throw new RangeError(`${what} gives shard ${index}, outside 0..${count - 1}`);
  return { index, count };
}
