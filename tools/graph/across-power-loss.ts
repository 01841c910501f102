/**
 * What a power loss and restart change in a running system's graph: capture it, pull the
 * power (keeping `keepBatches` of the unsynced commits), restart, capture again, diff.
 */
import type { RestartReport, System } from '../../restart-agent/index.ts';
import { buildGraph, type CapGraph } from './build.ts';
import { diffGraphs, type GraphDiff } from './diff.ts';

export interface PowerLossDiff {
  before: CapGraph;
  after: CapGraph;
  diff: GraphDiff;
  report: RestartReport;
}

export async function diffAcrossPowerLoss(system: System, keepBatches: number): Promise<PowerLossDiff> {
  const before = buildGraph(system.kernel);
  await system.powerLoss({ keepBatches });
  const report = await system.restart();
  const after = buildGraph(system.kernel);
  return { before, after, diff: diffGraphs(before, after), report };
}
