/**
 * What a restart tells its reader: each boot phase, what came back, what was quarantined and
 * why, what was lost, and each invariant's verdict. Plain data for --json; `formatReport`
 * gives the same for a person.
 */
import type { ObjectId, PlainData } from '../kernel/index.ts';
import type { SupervisorEvent } from './policy.ts';

export interface Quarantined {
  record: string;
  reason: string;
}

export interface LostReference {
  pid: ObjectId;
  program: string;
  name: string;
  target: ObjectId;
  reason: string;
}

export interface BootReport {
  bootCount: number;
  phases: { phase: number; name: string; detail: string }[];
  restored: { pid: ObjectId; program: string; args: readonly PlainData[] | readonly unknown[]; names: string[]; status: string }[];
  quarantined: Quarantined[];
  lostRefs: LostReference[];
  startOrder: ObjectId[][];
  supervisor: SupervisorEvent[];
}

export type InvariantVerdicts = Record<string, string>;

/** The --json report of a restart. */
export interface RestartReport extends BootReport {
  seed: number;
  model: string;
  /** Cranks run before the power loss whose effects did not survive; null when no history is known. */
  lostCranks: number | null;
  /** Unsynced commits that survived the power loss (the kept prefix). */
  keptCommits: number | null;
  invariants: InvariantVerdicts;
  /** Under the checkpoint and both models: the checkpoint restored, and what the explicit records overlaid on it. */
  checkpoint?: {
    seq: number;
    crank: number;
    passedOver: { seq: number; reason: string }[];
    overlaidStorage: ObjectId[];
    /** capIds of named capabilities revoked after the checkpoint (the database no longer holds them), dropped. */
    droppedCaps: number[];
    lostCranksSince: number;
  };
  /** Under a model that replays a transcript: how much was replayed after the checkpoint, and how long it took. */
  transcript?: {
    /** The System's clock at the checkpoint the replay started from. */
    checkpointCrank: number;
    replayedCranks: number;
    /** Wall-clock time of the replay. */
    replayMs: number;
    /** The System's clock of the last crank replayed: the system resumed as of it. */
    resumedAt: number;
    /** Entries the replay could not use (past a gap), deleted after the boot. */
    entriesDropped: number;
  };
}

export function violations(verdicts: InvariantVerdicts): string[] {
  return Object.entries(verdicts)
    .filter(([, v]) => v !== 'ok' && !v.startsWith('not checked'))
    .map(([k, v]) => `${k}: ${v}`);
}

export function formatReport(r: RestartReport): string {
  const lines: string[] = [];
  lines.push(`boot #${r.bootCount} of this store (model ${r.model}, seed ${r.seed})`);
  for (const p of r.phases) lines.push(`  ${p.phase}. ${p.name.padEnd(26)} ${p.detail}`);
  if (r.restored.length > 0) {
    lines.push('  restored:');
    for (const p of r.restored) lines.push(`    p${p.pid} ${p.program} ${JSON.stringify(p.args)} names [${p.names.join(', ')}] -> ${p.status}`);
  }
  if (r.quarantined.length > 0) {
    lines.push('  quarantined:');
    for (const q of r.quarantined) lines.push(`    ${q.record}: ${q.reason}`);
  }
  if (r.lostRefs.length > 0) {
    lines.push('  references to something gone (left as empty slots):');
    for (const l of r.lostRefs) lines.push(`    p${l.pid} ${l.program} '${l.name}' -> ${l.target}: ${l.reason}`);
  }
  for (const e of r.supervisor) lines.push(`  supervisor: p${e.pid} ${e.program} ${e.action} at crank ${e.crank}: ${e.reason}`);
  if (r.lostCranks !== null) {
    lines.push(`  lost: ${r.lostCranks} crank(s) of work since the last durable point${r.keptCommits ? ` (${r.keptCommits} unsynced commit(s) survived)` : ''}`);
  }
  if (r.checkpoint !== undefined) {
    const c = r.checkpoint;
    lines.push(`  checkpoint: resumed at checkpoint ${c.seq} (crank ${c.crank})${c.passedOver.length > 0 ? `, passing over ${c.passedOver.map((p) => p.seq).join(', ')}` : ''}`);
    if (r.model === 'both') {
      lines.push(`  explicit: ${c.overlaidStorage.length} storage object(s) newer in the database replaced the checkpoint's copy; ${c.droppedCaps.length} capabilit${c.droppedCaps.length === 1 ? 'y' : 'ies'} revoked since the checkpoint dropped`);
    }
  }
  if (r.transcript !== undefined) {
    const t = r.transcript;
    lines.push(`  transcript: replayed ${t.replayedCranks} crank(s) after the checkpoint of crank ${t.checkpointCrank} in ${t.replayMs.toFixed(1)} ms; resumed as of crank ${t.resumedAt}`);
  }
  lines.push('  invariants:');
  for (const [name, verdict] of Object.entries(r.invariants)) lines.push(`    ${verdict === 'ok' ? 'ok  ' : verdict.startsWith('not checked') ? '--  ' : 'FAIL'} ${name}${verdict === 'ok' ? '' : `: ${verdict}`}`);
  return lines.join('\n');
}
