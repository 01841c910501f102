/**
 * The timelines a viewer has recorded, by their pulls: the base run and each branch a "pull
 * the power here" made. Recording is deterministic, so a branch dropped from the cache is
 * recorded again, the same, when asked for.
 */
import { Recording, type TimelineEvent } from './recording.ts';
import { formatPulls, type Pull, type TimelineSpec } from './timeline-spec.ts';

/** Recordings kept at once; each holds its keyframes and message log in memory. */
export const RECORDINGS_KEPT_MAX = 8;
/** Commit events sent to the page: beyond this only syncs, checkpoints, power losses and restarts are. */
const COMMITS_SHOWN_MAX = 2000;

export interface TimelineSummary {
  system: string;
  description: string;
  seed: number;
  model: string;
  syncEvery: number;
  pulls: Pull[];
  last: number;
  keyframeEvery: number;
  stoppedEarly: string | null;
  events: TimelineEvent[];
  /** False in a static export: there is no server to record a new branch. */
  canPull: boolean;
}

export class Timelines {
  private readonly kept = new Map<string, Promise<Recording>>();

  constructor(readonly base: Omit<TimelineSpec, 'pulls'>) {}

  get(pulls: readonly Pull[]): Promise<Recording> {
    const key = formatPulls(pulls);
    let rec = this.kept.get(key);
    if (rec === undefined) {
      rec = Recording.record({ ...this.base, pulls });
      // A failed recording must not stay cached as the answer.
      rec.catch(() => this.kept.delete(key));
      this.kept.set(key, rec);
      if (this.kept.size > RECORDINGS_KEPT_MAX) this.kept.delete(this.kept.keys().next().value as string);
    } else {
      // Most recently used last.
      this.kept.delete(key);
      this.kept.set(key, rec);
    }
    return rec;
  }
}

export function summarize(rec: Recording, canPull: boolean): TimelineSummary {
  const t = rec.timeline;
  const commits = rec.events.filter((e) => e.kind === 'commit').length;
  const events = commits <= COMMITS_SHOWN_MAX ? rec.events : rec.events.filter((e) => e.kind !== 'commit' || e.synced);
  return {
    system: t.spec.name,
    description: t.spec.description ?? '',
    seed: t.seed,
    model: rec.model,
    syncEvery: t.syncEvery,
    pulls: [...t.pulls],
    last: rec.last,
    keyframeEvery: t.keyframeEvery,
    stoppedEarly: rec.stoppedEarly,
    events: events.length <= COMMITS_SHOWN_MAX * 2 ? events : events.filter((e) => e.kind !== 'commit'),
    canPull,
  };
}
