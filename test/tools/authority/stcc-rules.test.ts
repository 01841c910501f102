/**
 * The leak and flow relations on small capDL descriptions, each expected result derived by hand
 * from the rules of capDL-tool's STCC.hs (see tools/authority/analyse.ts).
 */
import { describe, expect, it } from 'vitest';
import { analyse, leakPath, reachOf, subjectsOfCapdl, type AuthorityResult } from '../../../tools/authority/index.ts';
import { readCapdl } from '../../../tools/capdl/index.ts';

function authorityOf(objects: string, caps: string): AuthorityResult {
  return analyse(subjectsOfCapdl(readCapdl(`arch x86_64\nobjects {\n${objects}\n}\ncaps {\n${caps}\n}`, 't.cdl')));
}

const sorted = (pairs: Array<[string, string]>): string[] => pairs.map(([a, b]) => `${a}->${b}`).sort();

describe('authority by the STCC rules', () => {
  it('a client with a write-only cap to a badged endpoint its server reads: flow client→server (and back, as STCC counts endpoints), no leak', () => {
    // Rules: a leak needs G on an endpoint the other reads: the client has W only, the server R only: no leak.
    // Flow: W(client) meets R(server) on ep, and STCC's endpoint flow goes both ways.
    const r = authorityOf('client = tcb\nserver = tcb\nc_cn = cnode (2 bits)\ns_cn = cnode (2 bits)\nep = ep', 'client { cspace: c_cn }\nserver { cspace: s_cn }\nc_cn { 1: ep (W, badge: 42) }\ns_cn { 1: ep (R) }');
    expect(r.leaks).toEqual([]);
    expect(sorted(r.flows)).toEqual(['client->server', 'server->client']);
    expect(r.directFlows.find((e) => e.from === 'client')?.reason).toMatch(/client writes ep, which server reads/);
  });

  it('grant on an endpoint another reads: a leak that way only; b could obtain what a holds, with the path', () => {
    // a: ep (G W), secret (R); b: ep (R). Leak a->b (G meets R); b holds no G: no b->a.
    const r = authorityOf('a = tcb\nb = tcb\na_cn = cnode (2 bits)\nb_cn = cnode (2 bits)\nep = ep\nsecret = ep', 'a { cspace: a_cn }\nb { cspace: b_cn }\na_cn { 1: ep (G W)  2: secret (R) }\nb_cn { 1: ep (R) }');
    expect(sorted(r.leaks)).toEqual(['a->b']);
    expect(sorted(r.flows)).toEqual(['a->b', 'b->a']);
    const bGets = r.obtain.get('b') ?? [];
    const secret = bGets.find((o) => o.cap.object === 'secret');
    expect(secret?.holder).toBe('a');
    expect(secret?.path.map((e) => e.reason)).toEqual(['a can grant through ep, which b reads']);
    expect((r.obtain.get('a') ?? []).map((o) => o.cap.object).sort()).toEqual(['a_cn', 'ep', 'secret']);
    expect(reachOf(r, 'secret').map((h) => h.subject).sort()).toEqual(['a', 'b']);
  });

  it('leaks close transitively: a grants to b, b holds c’s TCB; a reaches c through b, and the path says so', () => {
    const r = authorityOf('a = tcb\nb = tcb\nc = tcb\na_cn = cnode (2 bits)\nb_cn = cnode (2 bits)\nc_cn = cnode (2 bits)\nep = ep\nkey = ep', 'a { cspace: a_cn }\nb { cspace: b_cn }\nc { cspace: c_cn }\na_cn { 1: ep (G)  2: key (W) }\nb_cn { 1: ep (R)  2: c }\nc_cn { }');
    expect(sorted(r.leaks)).toEqual(['a->b', 'a->c', 'b->c']);
    expect(leakPath(r, 'a', 'c')?.map((e) => e.reason)).toEqual(['a can grant through ep, which b reads', 'b holds a TCB capability to c']);
    expect((r.obtain.get('c') ?? []).find((o) => o.cap.object === 'key')?.path).toHaveLength(2);
  });

  it('a shared CNode leaks both ways', () => {
    const r = authorityOf('x = tcb\ny = tcb\ncn = cnode (2 bits)\nep = ep', 'x { cspace: cn }\ny { cspace: cn }\ncn { 1: ep (R) }');
    expect(sorted(r.leaks)).toEqual(['x->y', 'y->x']);
    expect(r.directLeaks[0]?.reason).toBe('x and y share CNode cn');
  });

  it('frames and notifications carry information from writer to reader only', () => {
    const r = authorityOf('w = tcb\nr = tcb\nw_cn = cnode (2 bits)\nr_cn = cnode (2 bits)\nf = frame (4k)\nn = notification', 'w { cspace: w_cn }\nr { cspace: r_cn }\nw_cn { 1: f (W)  2: n (W) }\nr_cn { 1: f (R)  2: n (R) }');
    expect(r.leaks).toEqual([]);
    expect(sorted(r.flows)).toEqual(['w->r']);
  });

  it('grant on a notification is no leak (STCC counts grant on endpoints only)', () => {
    const r = authorityOf('w = tcb\nr = tcb\nw_cn = cnode (2 bits)\nr_cn = cnode (2 bits)\nn = notification', 'w { cspace: w_cn }\nr { cspace: r_cn }\nw_cn { 1: n (G) }\nr_cn { 1: n (R) }');
    expect(r.leaks).toEqual([]);
  });

  it('a frame shared through two address spaces carries information too', () => {
    const r = authorityOf('w = tcb\nr = tcb\npw = pd\npr = pd\nf = frame (4k)', 'w { vspace: pw }\nr { vspace: pr }\npw { 0: f (R W) }\npr { 0: f (R) }');
    expect(sorted(r.flows)).toEqual(['w->r']);
  });

  it('a TCB holding no capabilities has no authority (where capDL-tool stops with "Prelude.head: empty list")', () => {
    const r = authorityOf('idle = tcb\nbusy = tcb\nb_cn = cnode (2 bits)\nep = ep', 'busy { cspace: b_cn }\nb_cn { 1: ep (R W G) }');
    expect(r.subjects).toEqual(['idle', 'busy']);
    expect(r.obtain.get('idle')).toEqual([]);
    expect(r.leaks).toEqual([]);
    expect(r.flows).toEqual([]);
  });
});
