/**
 * A recorded run: a System driven along a TimelineSpec, one position per crank or restart,
 * with what a viewer needs to go back to any of them without keeping every state:
 *   - a keyframe (the kernel's exportState, and the supervisor's restart counts) every K
 *     positions and at every boot, from which a seek replays at most K cranks (replay.ts);
 *   - per position the few facts that make the replay exact: what the host did before the
 *     crank (inputs fed, clients' calls, steps that found nothing to run) and the first
 *     ObjectId it may draw;
 *   - the persistence events (commits, syncs, checkpoints, power losses, restarts) and the
 *     messages between processes (spacetime.ts), which are small enough to keep for every
 *     position.
 * The run itself goes through the real restart agent and store (in memory, or a copy of a
 * store folder), so a restart's summary is the restart agent's own report.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportState, type HostAction, type KernelState, type ObjectId, type RestartPolicy, type TraceEvent } from '../../kernel/index.ts';
import { System, type PersistenceEvent, type RestartReport, type SystemOptions } from '../../restart-agent/index.ts';
import { MemoryDisk } from '../../store/index.ts';
import { buildGraph, type CapGraph } from '../graph/index.ts';
import { MessageLog } from './spacetime.ts';
import { POSITIONS_MAX, type TimelineSpec } from './timeline-spec.ts';

/** Trace events a boot's inits may leave; a position keeps at most this many of its own. */
export const TRACE_KEEP = 4096;
/** Events kept for a keyframe position (a boot's inits can be many). */
const EVENTS_KEPT_MAX = 200;

export interface PositionRecord {
  kind: 'start' | 'crank' | 'restart';
  /** The system's crank clock after this position. */
  clock: number;
  /** External inputs tried before this crank: indices [inputFrom, inputTo). */
  inputFrom: number;
  inputTo: number;
  /** What the host did to the kernel for this crank, in order: inputs, clients' calls, idle steps, the crank, notes. */
  hostActions: HostAction[];
  /** The first ObjectId this crank may draw. */
  idNext: ObjectId;
  /** The kernel's trace hash after this position: a replay must reach the same. */
  traceHash: string;
  /** At a keyframe, which a seek does not replay: the position's trace events (a crank's, or a boot's inits). */
  keyframeEvents?: TraceEvent[];
}

export interface Keyframe {
  pos: number;
  state: KernelState;
  restarts: [ObjectId, number[]][];
  policies: [ObjectId, RestartPolicy][];
  /** The graph one position before (null at position 0): what this position is compared with, without a second replay. */
  previousGraph: CapGraph | null;
}

/** What a restart did, as the timeline and the page show it. */
export interface RestartSummary {
  bootCount: number;
  lostCranks: number | null;
  keptCommits: number | null;
  restored: string[];
  quarantined: string[];
  lostRefs: string[];
  invariants: Record<string, string>;
  checkpoint: string | null;
}

export type TimelineEvent =
  | { pos: number; kind: 'commit'; synced: boolean; unsynced: number }
  | { pos: number; kind: 'checkpoint'; seq: number; crank: number; blocks: number }
  | { pos: number; kind: 'power-loss'; keep: number; unsynced: number }
  | { pos: number; kind: 'restart'; summary: RestartSummary };

export class Recording {
  readonly positions: PositionRecord[] = [];
  readonly keyframes: Keyframe[] = [];
  readonly events: TimelineEvent[] = [];
  readonly messages = new MessageLog();
  /** Endpoint IDs by the labels inputs address, as the System knows them. */
  labels: ReadonlyMap<string, ObjectId> = new Map();
  /** Why the run stopped before its horizon (idle, no input left), or null. */
  stoppedEarly: string | null = null;
  /** The model the run used: the timeline's, or the one a booted store was made with. */
  model: string;

  private constructor(readonly timeline: TimelineSpec) {
    if (!Number.isSafeInteger(timeline.positions) || timeline.positions < 0 || timeline.positions > POSITIONS_MAX) throw new RangeError(`a recording holds 0..${POSITIONS_MAX} positions, not ${timeline.positions}`);
    this.model = typeof timeline.model === 'string' ? timeline.model : timeline.model.name;
  }

  /** The last position. */
  get last(): number {
    return this.positions.length - 1;
  }

  /** The newest keyframe at or before `pos`. */
  keyframeFor(pos: number): Keyframe {
    let lo = 0;
    let hi = this.keyframes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.keyframes[mid] as Keyframe).pos <= pos) lo = mid;
      else hi = mid - 1;
    }
    return this.keyframes[lo] as Keyframe;
  }

  static async record(timeline: TimelineSpec): Promise<Recording> {
    const rec = new Recording(timeline);
    let folder: string | null = null;
    try {
      let system: System;
      let current = 0;
      const onPersistence = (e: PersistenceEvent): void => {
        if (e.kind === 'commit') rec.events.push({ pos: current, kind: 'commit', synced: e.synced, unsynced: e.unsyncedBatches });
        else rec.events.push({ pos: current, kind: 'checkpoint', seq: e.seq, crank: e.crank, blocks: e.blocksWritten });
      };
      const base = { spec: timeline.spec, seed: timeline.seed, syncEvery: timeline.syncEvery, checkpointEvery: timeline.checkpointEvery, trace: 'full' as const, traceKeep: TRACE_KEEP, verify: timeline.verify ?? true, onPersistence } satisfies Partial<SystemOptions>;
      if (timeline.storeDir !== undefined) {
        folder = await mkdtemp(join(tmpdir(), 'capsim-view-'));
        await cp(timeline.storeDir, folder, { recursive: true });
        const opened = await System.open({ ...base, store: { backend: 'classic', path: folder } });
        system = opened.system;
        rec.events.push({ pos: 0, kind: 'restart', summary: summarize(opened.report) });
      } else {
        system = await System.create({ ...base, store: { backend: 'memory', disk: new MemoryDisk() }, model: timeline.model });
      }
      try {
        // The System's own map: after a boot it reads the labels from the store on the first input.
        rec.labels = system.labels;
        rec.model = system.model;
        rec.boot(system, 'start', null);
        const pulls = [...timeline.pulls];
        for (let pos = 1; pos <= timeline.positions; pos++) {
          current = pos;
          const pull = pulls[0];
          if (pull !== undefined && pull.at === pos - 1) {
            pulls.shift();
            const beforeLoss = buildGraph(system.kernel);
            const loss = await system.powerLoss({ keepBatches: pull.keep });
            rec.events.push({ pos, kind: 'power-loss', keep: pull.keep, unsynced: loss.unsyncedBatches });
            rec.messages.powerLoss(pos);
            const report = await system.restart();
            rec.events.push({ pos, kind: 'restart', summary: summarize(report) });
            rec.boot(system, 'restart', beforeLoss);
            continue;
          }
          if (!(await rec.crank(system, pos))) {
            rec.stoppedEarly = `the system is idle and has no input left after position ${pos - 1}`;
            rec.positions.pop();
            break;
          }
        }
      } finally {
        await system.close();
      }
    } finally {
      if (folder !== null) await rm(folder, { recursive: true, force: true });
    }
    return rec;
  }

  /** Position 0 or a restart: a keyframe of the booted kernel, and its inits' events. */
  private boot(system: System, kind: 'start' | 'restart', previousGraph: CapGraph | null): void {
    const pos = this.positions.length;
    const events = system.kernel.trace.events();
    this.positions.push({ kind, clock: system.now, inputFrom: system.inputIndex, inputTo: system.inputIndex, hostActions: [], idNext: system.allocator.peek(), traceHash: system.kernel.trace.hash, keyframeEvents: events.slice(-EVENTS_KEPT_MAX) });
    for (const e of events) this.messages.note(e, pos);
    this.keyframe(system, pos, previousGraph);
    system.kernel.trace.sink = (e) => this.messages.note(e, this.positions.length - 1);
  }

  /** One crank; false when the system was idle with no input left. */
  private async crank(system: System, pos: number): Promise<boolean> {
    // Top up the IDs now, so that the crank draws from exactly where peek() says.
    await system.allocator.ensure();
    const kernelBefore = system.kernel;
    const keyframeHere = pos % this.timeline.keyframeEvery === 0;
    const previousGraph = keyframeHere ? buildGraph(system.kernel) : null;
    const eventsBefore = system.kernel.trace.total;
    const hostActions: HostAction[] = [];
    this.positions.push({ kind: 'crank', clock: system.now, inputFrom: system.inputIndex, inputTo: system.inputIndex, hostActions, idNext: system.allocator.peek(), traceHash: '' });
    system.kernel.hostSink = (action) => hostActions.push(action);
    let result;
    try {
      result = await system.step();
    } finally {
      system.kernel.hostSink = null;
    }
    const record = this.positions[pos] as PositionRecord;
    record.inputTo = system.inputIndex;
    record.clock = system.now;
    record.traceHash = system.kernel.trace.hash;
    if (result === null) return false;
    if (system.kernel !== kernelBefore) throw new Error('the kernel changed during a crank');
    if (keyframeHere) {
      const fresh = Math.min(system.kernel.trace.total - eventsBefore, EVENTS_KEPT_MAX);
      record.keyframeEvents = fresh > 0 ? system.kernel.trace.events().slice(-fresh) : [];
      this.keyframe(system, pos, previousGraph);
    }
    return true;
  }

  private keyframe(system: System, pos: number, previousGraph: CapGraph | null): void {
    this.keyframes.push({ pos, state: exportState(system.kernel), restarts: system.supervisor.recentRestarts(), policies: [...system.book.policies].map(([pid, p]) => [pid, { ...p }]), previousGraph });
  }
}

function summarize(r: RestartReport): RestartSummary {
  return {
    bootCount: r.bootCount,
    lostCranks: r.lostCranks,
    keptCommits: r.keptCommits,
    restored: r.restored.map((p) => `p${p.pid} ${p.program} ${JSON.stringify(p.args)} names [${p.names.join(', ')}] -> ${p.status}`),
    quarantined: r.quarantined.map((q) => `${q.record}: ${q.reason}`),
    lostRefs: r.lostRefs.map((l) => `p${l.pid} ${l.program} '${l.name}' -> ${l.target}: ${l.reason}`),
    invariants: { ...r.invariants },
    checkpoint: r.checkpoint ? `checkpoint ${r.checkpoint.seq} (crank ${r.checkpoint.crank}), ${r.checkpoint.lostCranksSince} crank(s) since` : null,
  };
}
