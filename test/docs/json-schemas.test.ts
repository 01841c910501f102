/**
 * Every --json output keeps the one style of tools/cli/json-wire.ts, and the commands documented
 * under docs/json/ print exactly what their schema says: each command is run as a user runs it
 * and its output validated (ajv), with additionalProperties false, so a field added, renamed or
 * dropped without its schema fails here.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repo, runCapsim } from '../support/cli.ts';

const SCHEMAS = join(repo, 'docs/json');
const dir = mkdtempSync(join(tmpdir(), 'capsim-json-'));
const store = join(dir, 'bank');
const sturdyStore = join(dir, 'sturdy');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ajv = new Ajv({ allErrors: true, strict: true });
for (const file of readdirSync(SCHEMAS).filter((f) => f.endsWith('.schema.json'))) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as object, file);

/** Each documented command, how it is run here, and its schema. */
const DOCUMENTED: [string, () => string[], string][] = [
  ['run', () => ['run', 'counter', '--memory', '--cranks', '30', '--power-loss-at', '12', '--history', '--json'], 'run.schema.json'],
  ['run (checkpoint model)', () => ['run', 'bank', '--memory', '--cranks', '30', '--power-loss-at', '20', '--model', 'checkpoint', '--checkpoint-every', '5', '--json'], 'run.schema.json'],
  ['run (transcript model)', () => ['run', 'bank', '--memory', '--cranks', '30', '--power-loss-at', '20', '--model', 'transcript', '--checkpoint-every', '5', '--json'], 'run.schema.json'],
  ['compare', () => ['compare', 'transfer-naive', '--power-loss-at', '7', '--cranks', '30', '--json'], 'compare.schema.json'],
  ['check', () => ['check', 'kv', '--runs', '5', '--json'], 'check.schema.json'],
  ['demo', () => ['demo', '--store', join(dir, 'demo'), '--seed', '3', '--json'], 'restart-report.schema.json'],
  ['boot', () => ['boot', '--store', store, '--json'], 'restart-report.schema.json'],
  ['status', () => ['status', '--store', store, '--json'], 'status.schema.json'],
  ['verify', () => ['verify', '--store', store, '--json'], 'verify.schema.json'],
  ['ps', () => ['ps', '--store', store, '--json'], 'ps.schema.json'],
  ['examples', () => ['examples', '--json'], 'examples.schema.json'],
  ['sturdy list', () => ['sturdy', 'list', '--store', sturdyStore, '--json'], 'sturdy-list.schema.json'],
];

/** Commands with --json and no schema of their own yet: they keep the style all the same. */
const STYLE_ONLY: [string, () => string[]][] = [
  ['caps', () => ['caps', 'p1', '--store', store, '--json']],
  ['graph', () => ['graph', 'bank', '--format', 'json']],
  ['authority', () => ['authority', 'bank', '--json']],
  ['snapshot save', () => ['snapshot', 'save', 'first', '--store', store, '--json']],
  ['snapshot list', () => ['snapshot', 'list', '--store', store, '--json']],
];

/** Keys that hold a program's plain data (or a user's values), not capsim's own fields. */
const DATA_KEYS = new Set(['state', 'args', 'value', 'payload', 'runs', 'records']);

function styleProblems(value: unknown, path: string, out: string[]): string[] {
  if (Array.isArray(value)) value.forEach((v, i) => styleProblems(v, `${path}[${i}]`, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (!/^[a-z][a-zA-Z0-9]*$/.test(key)) out.push(`${path}.${key}`);
      if (key === 'runs' && typeof v === 'object' && v !== null) for (const [model, run] of Object.entries(v)) styleProblems(run, `${path}.runs.${model}`, out);
      else if (!DATA_KEYS.has(key)) styleProblems(v, `${path}.${key}`, out);
    }
  }
  return out;
}

async function jsonOf(args: string[]): Promise<unknown> {
  const r = await runCapsim(args);
  expect(r.code, `capsim ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as unknown;
}

beforeAll(async () => {
  const r = await runCapsim(['run', 'bank', '--store', store, '--cranks', '30', '--model', 'checkpoint', '--checkpoint-every', '5']);
  expect(r.code, r.stderr).toBe(0);
  const s = await runCapsim(['run', 'sturdy-clients', '--store', sturdyStore, '--cranks', '40']);
  expect(s.code, s.stderr).toBe(0);
}, 60_000);

describe('--json outputs and their schemas (docs/json/)', () => {
  for (const [name, args, schema] of DOCUMENTED) {
    it(`${name} prints what ${schema} says, in the one style`, async () => {
      const out = await jsonOf(args());
      const validate = ajv.getSchema(schema);
      if (validate === undefined) throw new Error(`no schema ${schema}`);
      expect(validate(out), ajv.errorsText(validate.errors, { separator: '\n' })).toBe(true);
      expect(styleProblems(out, '', [])).toEqual([]);
    });
  }
  for (const [name, args] of STYLE_ONLY) {
    it(`${name} keeps the style: camelCase keys, lists where display names were keys`, async () => {
      expect(styleProblems(await jsonOf(args()), '', [])).toEqual([]);
    });
  }
  it('a time is an ISO 8601 string', async () => {
    const list = (await jsonOf(['snapshot', 'list', '--store', store, '--json'])) as { created: unknown }[];
    expect(list.length).toBeGreaterThan(0);
    for (const s of list) expect(s.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
