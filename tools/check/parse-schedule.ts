/**
 * Reading a schedule given as JSON (`capsim check --schedule '...'`): the one a failure printed,
 * or one edited by hand. Every field is checked, and a wrong one is named, so that a typo is a
 * one-line error rather than a run that means something else.
 */
import type { Fault, Schedule, Step } from './schedule.ts';

const nat = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function fail(what: string): never {
  throw new Error(`--schedule: ${what}`);
}

function parseFault(f: unknown, where: string): Fault {
  if (typeof f !== 'object' || f === null) fail(`${where}.fault must be an object`);
  const o = f as Record<string, unknown>;
  if (!nat(o.keepBatches)) fail(`${where}.fault.keepBatches must be a whole number`);
  const keepBatches = o.keepBatches;
  switch (o.kind) {
    case 'power':
      return { kind: 'power', keepBatches };
    case 'write':
      if (!nat(o.nth) || o.nth < 1) fail(`${where}.fault.nth must be a whole number >= 1`);
      return { kind: 'write', nth: o.nth, keepBatches };
    case 'restart':
      if (o.stage !== 'boot' && o.stage !== 'commit' && o.stage !== 'after') fail(`${where}.fault.stage must be boot, commit or after`);
      return { kind: 'restart', stage: o.stage, keepBatches };
    case 'damage':
      if (!nat(o.record) || !nat(o.byte) || !nat(o.mask) || o.mask < 1 || o.mask > 255) fail(`${where}.fault needs record, byte (whole numbers) and mask (1..255)`);
      return { kind: 'damage', record: o.record, byte: o.byte, mask: o.mask, keepBatches };
    default:
      return fail(`${where}.fault.kind must be power, write, restart or damage`);
  }
}

export function parseSchedule(text: string): Schedule {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    fail(`not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof raw !== 'object' || raw === null) fail('must be a JSON object');
  const o = raw as Record<string, unknown>;
  if (!nat(o.seed)) fail('seed must be a whole number');
  if (o.schedule !== 'fifo' && o.schedule !== 'seeded') fail('schedule must be fifo or seeded');
  if (!nat(o.syncEvery) || o.syncEvery < 1) fail('syncEvery must be a whole number >= 1');
  if (o.inputs !== null && !(Array.isArray(o.inputs) && o.inputs.every(nat))) fail('inputs must be null or an array of whole numbers');
  if (o.clients !== undefined && o.clients !== null && !(Array.isArray(o.clients) && o.clients.every((c) => Array.isArray(c) && c.every(nat)))) fail('clients must be null or an array (one per client) of arrays of whole numbers');
  if (!Array.isArray(o.steps) || o.steps.length === 0) fail('steps must be a non-empty array');
  const steps: Step[] = o.steps.map((s: unknown, i: number) => {
    if (typeof s !== 'object' || s === null || !nat((s as Record<string, unknown>).cranks)) fail(`steps[${i}].cranks must be a whole number`);
    return { cranks: (s as { cranks: number }).cranks, fault: parseFault((s as Record<string, unknown>).fault, `steps[${i}]`) };
  });
  const clients = o.clients === undefined ? {} : { clients: o.clients as number[][] | null };
  return { seed: o.seed, schedule: o.schedule, syncEvery: o.syncEvery, inputs: o.inputs as number[] | null, ...clients, steps, repeat: o.repeat === true };
}
