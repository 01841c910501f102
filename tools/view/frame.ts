/**
 * Everything the page shows at one position, as plain JSON: the graph marked against the
 * position before, the processes, the trace events of the position, the space-time window
 * around it and the persistence events at it (a restart with its summary).
 */
import { formatEvent, formatRights, redactTokens, type Kernel } from '../../kernel/index.ts';
import { buildGraph, type CapGraph } from '../graph/index.ts';
import { derivationOf, type Derivation } from './derivation.ts';
import type { Recording, RestartSummary, TimelineEvent } from './recording.ts';
import { seek } from './replay.ts';
import { lowerBound, type SpacetimeWindow } from './spacetime.ts';
import { viewGraph, type ViewGraph } from './view-graph.ts';

/** Positions the space-time diagram shows before the current one. */
export const SPACETIME_SPAN = 40;
/** Messages of one queue listed (the rest counted). */
const QUEUE_SHOWN_MAX = 20;
/** Characters of a state shown before it is cut. */
const STATE_SHOWN_MAX = 2000;

export interface ProcessView {
  pid: number;
  program: string;
  args: string;
  status: string;
  generation: number;
  state: string;
  clist: { slot: number; name: string | null; kind: string; target: number; rights: string; badge: number }[];
  queue: { type: string; from: number; badge: number; caps: number }[];
  queued: number;
  debt: number;
}

export interface Frame {
  pos: number;
  last: number;
  kind: string;
  clock: number;
  traceHash: string;
  graph: ViewGraph;
  processes: ProcessView[];
  events: string[];
  spacetime: SpacetimeWindow;
  persistence: TimelineEvent[];
  restart: RestartSummary | null;
  /** Cranks the server replayed from a keyframe to get here. */
  replayed: number;
}

export function frameAt(rec: Recording, pos: number): Frame {
  const { kernel, events, replayed, previous } = seekWithPrevious(rec, pos);
  const record = rec.positions[pos];
  if (record === undefined) throw new RangeError(`position ${pos} is not in 0..${rec.last}`);
  const here: TimelineEvent[] = [];
  for (let i = lowerBound(rec.events, pos, (e) => e.pos); i < rec.events.length && (rec.events[i] as TimelineEvent).pos === pos; i++) here.push(rec.events[i] as TimelineEvent);
  const restart = here.find((e) => e.kind === 'restart');
  return {
    pos,
    last: rec.last,
    kind: record.kind,
    clock: record.clock,
    traceHash: kernel.trace.hash,
    graph: viewGraph(kernel, previous).view,
    processes: processViews(kernel),
    events: events.map(formatEvent),
    spacetime: rec.messages.window(Math.max(0, pos - SPACETIME_SPAN), pos),
    persistence: here,
    restart: restart?.kind === 'restart' ? restart.summary : null,
    replayed,
  };
}

/** The derivation of the capability in `pid`'s slot at `pos`; null when there is none. */
export function capAt(rec: Recording, pos: number, pid: number, slot: number): Derivation | null {
  return derivationOf(seek(rec, pos).kernel, pid, slot);
}

/**
 * The kernel at `pos` and the graph one position before, in one replay: the replay passes the
 * position before, or `pos` is a keyframe, which keeps the graph before it.
 */
function seekWithPrevious(rec: Recording, pos: number): ReturnType<typeof seek> & { previous: CapGraph | null } {
  const key = rec.keyframeFor(pos);
  if (key.pos === pos) return { ...seek(rec, pos), previous: key.previousGraph };
  let previous: CapGraph | null = null;
  const at = seek(rec, pos, { atPrevious: (kernel) => (previous = buildGraph(kernel)) });
  return { ...at, previous };
}

function processViews(kernel: Kernel): ProcessView[] {
  return [...kernel.processes()]
    .filter((p) => p.alive)
    .sort((a, b) => a.id - b.id)
    .map((p) => {
      const messages = p.inbox.toArray();
      const state = redactTokens(JSON.stringify(p.state) ?? 'null');
      return {
        pid: p.id,
        program: p.program,
        args: JSON.stringify(p.args),
        status: p.status,
        generation: p.generation,
        state: state.length > STATE_SHOWN_MAX ? `${state.slice(0, STATE_SHOWN_MAX)}…` : state,
        clist: [...p.cspace.entries()].map(([slot, cap]) => ({ slot, name: cap.name, kind: cap.object.kind, target: cap.object.id, rights: formatRights(cap.rights), badge: cap.badge })),
        queue: messages.slice(0, QUEUE_SHOWN_MAX).map((m) => ({ type: m.type, from: m.from, badge: m.badge, caps: m.caps?.length ?? 0 })),
        queued: messages.length,
        debt: p.debt,
      };
    });
}
