/**
 * capDL from the command line, as a user runs it: import (with its report, --strict, --out),
 * export, a .cdl file wherever a system is, an overlay module, the authority command, and a
 * malformed file as one line naming file, line and column.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapdl } from '../../tools/capdl/index.ts';
import { expectOneLineError, runCapsim } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'capsim-capdl-'));
const CLIENT_SERVER = `arch arm11
objects {
  client = tcb
  server = tcb
  c_cn = cnode (2 bits)
  s_cn = cnode (2 bits)
  service = ep
  pt = pt
}
caps {
  client { cspace: c_cn }
  server { cspace: s_cn }
  c_cn { 1: service (W P, badge: 1)  2: pt }
  s_cn { 1: service (R) }
}
`;
const file = join(dir, 'cs.cdl');
writeFileSync(file, CLIENT_SERVER);
writeFileSync(
  join(dir, 'cs.overlay.mts'),
  `export const overlay = {
  programs: { asker: { init: () => 0, receive: (_ctx, n) => n + 1 } },
  assign: { client: 'asker' },
};
`,
);
const bad = join(dir, 'bad.cdl');
writeFileSync(bad, 'arch arm11\nobjects {\n  x = blob\n}\n');

describe('capsim capdl and authority', () => {
  it('import reports the system, its owner choices and what it dropped; --out writes capDL that reads back', async () => {
    const out = join(dir, 'out.cdl');
    const r = await runCapsim(['capdl', 'import', file, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("system 'cs': 2 process(es), 1 endpoint(s)");
    expect(r.stdout).toContain('process client runs asker (TCB client)');
    expect(r.stdout).toContain('endpoint service owned by server');
    expect(r.stdout).toContain('client holds service -> service [w badge 1]');
    expect(r.stdout).toMatch(/line 13: right P \(grant-reply\) on service in c_cn slot 1: capsim has no grant-reply right/);
    expect(r.stdout).toMatch(/pt pt: objects of kind pt have no capsim meaning/);
    expect(readCapdl(readFileSync(out, 'utf8'), 'out.cdl').objects.get('service')?.type).toBe('ep');
  });

  it('import --strict stops at the first thing without a capsim meaning, as one line', async () => {
    const r = await runCapsim(['capdl', 'import', file, '--strict']);
    expectOneLineError(r, 1, /cs\.cdl:13:\d+: --strict: right P \(grant-reply\) on service/);
  });

  it('a malformed file is one line with file, line and column', async () => {
    expectOneLineError(await runCapsim(['capdl', 'import', bad]), 1, /bad\.cdl:3:7: unknown object type 'blob'/);
    expectOneLineError(await runCapsim(['graph', bad]), 1, /bad\.cdl:3:7: unknown object type 'blob'/);
  });

  it('a .cdl file is a system for graph and run, with the overlay’s program', async () => {
    const g = await runCapsim(['graph', file, '--cranks', '3']);
    expect(g.code).toBe(0);
    expect(g.stdout).toMatch(/p\d+ asker/);
    expect(g.stdout).toMatch(/endpoint \d+ 'service' of p\d+ {2}\[-w- badge 1\]/);
    const run = await runCapsim(['run', file, '--cranks', '5']);
    expect(run.code).toBe(0);
  });

  it('export writes capDL every example reads back from', async () => {
    const r = await runCapsim(['capdl', 'export', 'bank']);
    expect(r.code).toBe(0);
    const model = readCapdl(r.stdout, 'bank.cdl');
    expect([...model.objects.values()].filter((o) => o.type === 'tcb').length).toBeGreaterThan(1);
  });

  it('authority --json on a .cdl: the write-only client flows to the server and leaks nothing', async () => {
    const r = await runCapsim(['authority', file, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { leaks: unknown[]; flows: unknown[]; obtain: Record<string, unknown[]> };
    expect(out.leaks).toEqual([]);
    expect(out.flows).toEqual([
      ['client', 'server'],
      ['server', 'client'],
    ]);
    expect(Object.keys(out.obtain)).toEqual(['client', 'server']);
  });

  it('authority --can and --reach answer with paths; an unknown subject is a usage error', async () => {
    const can = await runCapsim(['authority', 'ping-pong', '--cranks', '4', '--can', 'p3']);
    expect(can.code).toBe(0);
    expect(can.stdout).toMatch(/from p1: p1 can grant through endpoint \d+, which p3 reads/);
    const reach = await runCapsim(['authority', 'ping-pong', '--reach', 'back']);
    expect(reach.stdout).toMatch(/^2 subject\(s\) could come to hold a capability to back/);
    expectOneLineError(await runCapsim(['authority', 'ping-pong', '--can', 'nobody']), 2, /no subject 'nobody'/);
  });
});
