/**
 * A timeline is named by what it does, not by its history on a server: the system, its seed,
 * model and sync interval, how far it runs, and where the power was pulled. The same
 * TimelineSpec always records the same run (determinism), so a link that carries the pulls
 * opens the same moment on any server.
 */
import type { SystemSpec } from '../../kernel/index.ts';
import type { ModelChoice } from '../../restart-agent/index.ts';

/** The power pulled after position `at`, keeping the first `keep` unsynced batches. */
export interface Pull {
  at: number;
  keep: number;
}

export interface TimelineSpec {
  spec: SystemSpec;
  seed: number;
  /** A built-in model's name or a model of the user's own. */
  model: ModelChoice;
  syncEvery: number;
  checkpointEvery: number;
  /** Positions to record: cranks and restarts, position 0 (the system as created or booted) not counted. */
  positions: number;
  /** A kernel snapshot every this many positions: a seek replays at most this many cranks. */
  keyframeEvery: number;
  /** Pulls in increasing `at`. */
  pulls: readonly Pull[];
  /** Boot a copy of this store folder instead of creating the system (the folder itself is never written). */
  storeDir?: string;
  /** Record invariant history (the restart summaries' verdicts); benchmarks turn it off. */
  verify?: boolean;
}

/** Positions one recording may hold: each keeps a few numbers, its messages and events in memory. */
export const POSITIONS_MAX = 1_000_000;

/** Most pulls one timeline may have: each is a power loss and a restart to replay. */
export const PULLS_MAX = 64;

/** Pulls as a URL writes them: "12:0,40:2" (after position 12 keeping 0; after 40 keeping 2). */
export function formatPulls(pulls: readonly Pull[]): string {
  return pulls.map((p) => `${p.at}:${p.keep}`).join(',');
}

/** Reads formatPulls' text; null when it is not well formed (a hand-edited URL). */
export function parsePulls(text: string): Pull[] | null {
  if (text === '') return [];
  const pulls: Pull[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d{1,9}):(\d{1,6})$/.exec(part);
    if (m === null) return null;
    const pull = { at: Number(m[1]), keep: Number(m[2]) };
    if (pulls.length > 0 && pull.at <= (pulls[pulls.length - 1] as Pull).at) return null;
    pulls.push(pull);
  }
  return pulls.length > PULLS_MAX ? null : pulls;
}
