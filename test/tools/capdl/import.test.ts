import { describe, expect, it } from 'vitest';
import { instantiate, Kernel, type Program, type SystemSpec } from '../../../kernel/index.ts';
import { CapdlError, LOADER_NAME, projectModel, readCapdl, type ImportResult } from '../../../tools/capdl/index.ts';

/** Two threads of one component sharing a CNode, a server, a notification, frames shared and private. */
const SYSTEM = `
arch x86_64
objects {
  worker_a = tcb
  worker_b = tcb
  server = tcb
  shared_cn = cnode (3 bits)
  server_cn = cnode (3 bits)
  service = ep
  done = notification
  buf = frame (4k)
  window = frame (4k)
  stack = frame (4k)
  pd_w = pd
  pd_s = pd
  pt_w = pt
  ram = ut (12 bits) { stack }
}
caps {
  worker_a { cspace: shared_cn  vspace: pd_w }
  worker_b { cspace: shared_cn  vspace: pd_w }
  server { cspace: server_cn  vspace: pd_s }
  shared_cn {
    1: call = service (W G, badge: 5)
    2: done (W)
    3: buf (R)
    4: worker_a
  }
  server_cn {
    1: service (R P)
    2: done (R G)
    3: buf (R W)
    4: irq_control
  }
  pd_w { 0: pt_w }
  pt_w { 0: window (R W)  1: stack (R W) }
  pd_s { 0: window (R) }
}
`;

function imported(text = SYSTEM, strict = false): ImportResult {
  return projectModel(readCapdl(text, 'sys.cdl'), { strict });
}

describe('capDL import', () => {
  const r = imported();

  it('makes one process of the TCBs that share a CNode, keeping their names', () => {
    expect(r.spec.processes.map((p) => p.name)).toEqual(['worker_a+worker_b', 'server', LOADER_NAME]);
    expect(r.report.processes[0]?.tcbs).toEqual(['worker_a', 'worker_b']);
    expect(r.processOfTcb.get('worker_b')).toBe('worker_a+worker_b');
  });

  it('gives an endpoint to the one process that reads it, and what no one process reads to the loader', () => {
    expect(r.spec.endpoints).toEqual([
      { name: 'service', owner: 'server' },
      { name: 'done', owner: 'server' },
    ]);
    expect(r.spec.storage).toEqual([
      { name: 'buf', owner: LOADER_NAME, data: null },
      { name: 'window', owner: LOADER_NAME, data: null },
    ]);
    expect(r.report.endpoints.find((e) => e.name === 'done')?.notification).toBe(true);
  });

  it('maps rights R→r W→w G→g, keeps badges, drops G on a notification and P, and names caps by slot name', () => {
    const caps = r.spec.caps ?? [];
    expect(caps).toContainEqual({ holder: 'worker_a+worker_b', name: 'call', target: 'service', rights: 'wg', badge: 5 });
    expect(caps).toContainEqual({ holder: 'worker_a+worker_b', name: 'done', target: 'done', rights: 'w' });
    expect(caps).toContainEqual({ holder: 'server', name: 'service@server_cn/1', target: 'service', rights: 'r' });
    expect(caps).toContainEqual({ holder: 'server', name: 'done@server_cn/2', target: 'done', rights: 'r' });
    const dropped = r.report.dropped.map((d) => d.what);
    expect(dropped).toContain('right P (grant-reply) on service in server_cn slot 1');
    expect(dropped).toContain('right G on notification done in server_cn slot 2');
  });

  it('makes storage of frames in a CSpace and of frames two processes map, and grants them to the mappers', () => {
    const caps = r.spec.caps ?? [];
    expect(caps).toContainEqual({ holder: 'worker_a+worker_b', name: 'window', target: 'window', rights: 'rw' });
    expect(caps).toContainEqual({ holder: 'server', name: 'window', target: 'window', rights: 'r' });
    expect(r.spec.storage?.map((s) => s.name)).not.toContain('stack');
  });

  it('lists everything without a capsim meaning as dropped, with its line', () => {
    const dropped = r.report.dropped;
    const whats = dropped.map((d) => d.what);
    expect(whats).toContain('capability to tcb worker_a in shared_cn slot 4');
    expect(whats).toContain('irq_control capability in server_cn slot 4');
    expect(whats).toContain('frame stack');
    expect(whats).toContain('ut ram');
    expect(whats).toContain('pd pd_w');
    expect(dropped.find((d) => d.what === 'ut ram')?.reason).toMatch(/covers 1 object/);
    expect(dropped.find((d) => d.what === 'pd pd_w')?.pos?.line).toBe(14);
  });

  it('with strict, stops at the first thing without a capsim meaning, naming it at its line', () => {
    expect(() => imported(SYSTEM, true)).toThrow(CapdlError);
    expect(() => imported(SYSTEM, true)).toThrow(/^sys\.cdl:\d+:\d+: --strict: .*capability to tcb worker_a/);
  });

  it('grants exactly the listed capabilities: the imported system instantiates with them and nothing else', () => {
    const kernel = new Kernel({ programs: r.spec.programs });
    const wiring = instantiate(kernel, r.spec);
    const worker = kernel.process(wiring.processes.get('worker_a+worker_b') as number);
    expect([...worker.named.keys()].sort()).toEqual(['buf', 'call', 'done', 'window']);
  });

  it('runs the default program unless an overlay names one for a TCB', () => {
    const echo: Program<null> = { init: () => null, receive: (_ctx, s) => s };
    const withOverlay = projectModel(readCapdl(SYSTEM, 'sys.cdl'), { overlay: { programs: { echo }, assign: { worker_b: { program: 'echo', args: [1] } } } });
    expect(withOverlay.spec.processes[0]).toMatchObject({ program: 'echo', args: [1] });
    expect(withOverlay.spec.processes[1]?.program).toBe('capdl-default');
    expect(() => projectModel(readCapdl(SYSTEM, 'sys.cdl'), { overlay: { assign: { server: 'nothing' } } })).toThrow(/program 'nothing'.*does not define/);
  });

  it('a TCB without a CSpace becomes a process with no capabilities', () => {
    const lone = imported('arch riscv\nobjects { idle = tcb }');
    const spec: SystemSpec = lone.spec;
    expect(spec.processes.map((p) => p.name)).toEqual(['idle']);
    expect(spec.caps).toEqual([]);
  });
});
