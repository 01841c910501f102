/**
 * The viewer's server lets no one else in: it listens on 127.0.0.1 unless told otherwise, every
 * request needs the token its URL carries, a Host header naming another address is refused
 * (DNS rebinding), and it serves its own assets and nothing else. Requests are made with raw
 * node:http so that paths and headers go out exactly as written, unnormalised.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../../examples/index.ts';
import { serve, type ViewServer } from '../../../tools/view/server.ts';
import { Timelines } from '../../../tools/view/timelines.ts';

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function get(server: ViewServer, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET', headers: { Host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => done({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', fail);
    req.end();
  });
}

let server: ViewServer;
const withToken = (path: string): string => `${path}${path.includes('?') ? '&' : '?'}token=${server.token}`;

beforeAll(async () => {
  const spec = EXAMPLES['bank'];
  if (spec === undefined) throw new Error('no bank');
  server = await serve({ timelines: new Timelines({ spec, seed: 1, model: 'explicit', syncEvery: 4, checkpointEvery: 100, positions: 30, keyframeEvery: 10 }) });
});
afterAll(async () => {
  await server.close();
});

describe('capsim view server', () => {
  it('listens on 127.0.0.1 by default and prints a URL with a long random token', async () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
    const other = await serve({ timelines: new Timelines({ spec: EXAMPLES['bank']!, seed: 1, model: 'explicit', syncEvery: 4, checkpointEvery: 100, positions: 5, keyframeEvery: 10 }) });
    expect(other.token).not.toBe(server.token);
    await other.close();
  });

  it('refuses every request without the token, or with a wrong one, and serves it with the token or its cookie', async () => {
    for (const path of ['/', '/assets/view.js', '/api/timeline', '/api/frame?pos=1']) {
      const r = await get(server, path);
      expect(r.status, path).toBe(403);
      expect(r.body).not.toContain('capsim view</title>');
    }
    expect((await get(server, `/api/timeline?token=${'0'.repeat(64)}`)).status).toBe(403);
    expect((await get(server, `/api/timeline?token=${server.token.slice(1)}`)).status).toBe(403);
    const page = await get(server, withToken('/'));
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>capsim view</title>');
    const cookie = String(page.headers['set-cookie']).split(';')[0] as string;
    expect(cookie).toBe(`capsim_view_token=${server.token}`);
    expect((await get(server, '/assets/view.js', { Cookie: cookie })).status).toBe(200);
    expect((await get(server, '/assets/view.js', { Cookie: 'capsim_view_token=nope' })).status).toBe(403);
  });

  it('refuses a Host header that is not the address it listens on, token or not (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, `10.0.0.1:${server.port}`, `127.0.0.1.nip.io:${server.port}`]) {
      const r = await get(server, withToken('/api/timeline'), { Host: host });
      expect(r.status, host).toBe(403);
      expect(r.body).toContain('is not this server');
    }
    expect((await get(server, withToken('/api/timeline'), { Host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('serves its own assets and nothing else: no path leads outside them', async () => {
    expect((await get(server, withToken('/assets/cytoscape.min.js'))).body.length).toBeGreaterThan(100_000);
    for (const path of ['/assets/../package.json', '/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/%2e%2e/package.json', '/../../../etc/passwd', '/package.json', '/assets/', '/assets/static/view.js', '/assets//etc/passwd', '/tools/view/server.ts', '/assets/view.js/../../../package.json']) {
      const r = await get(server, withToken(path));
      expect(r.status, path).toBe(404);
      expect(r.body, path).not.toContain('"name": "capsim"');
      expect(r.body, path).not.toContain('root:');
    }
    const post = await new Promise<number>((done, fail) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: withToken('/api/timeline'), method: 'POST', headers: { Host: `127.0.0.1:${server.port}` } }, (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      });
      req.on('error', fail);
      req.end();
    });
    expect(post).toBe(405);
  });

  it('answers the API: the timeline, a frame, a capability, and a clear 400 for a bad position or pulls', async () => {
    const timeline = JSON.parse((await get(server, withToken('/api/timeline'))).body) as { system: string; last: number; canPull: boolean };
    expect(timeline).toMatchObject({ system: 'bank', last: 30, canPull: true });
    const frame = JSON.parse((await get(server, withToken('/api/frame?pos=5'))).body) as { pos: number; processes: { program: string }[] };
    expect(frame.pos).toBe(5);
    expect(frame.processes.map((p) => p.program)).toEqual(['bank', 'teller']);
    const cap = JSON.parse((await get(server, withToken('/api/cap?pos=5&pid=1&slot=5'))).body) as { revokeRemoves: { where: string }[] };
    expect(cap.revokeRemoves.map((r) => r.where)).toEqual(['p3 slot 2']);
    const branch = JSON.parse((await get(server, withToken('/api/frame?pos=4&pulls=3:0'))).body) as { kind: string; restart: { restored: string[] } };
    expect(branch.kind).toBe('restart');
    expect(branch.restart.restored).toHaveLength(2);
    for (const path of ['/api/frame?pos=31', '/api/frame?pos=-1', '/api/frame?pos=x', '/api/frame?pos=3&pulls=5:0,2:0', '/api/frame?pos=3&pulls=abc']) {
      const r = await get(server, withToken(path));
      expect(r.status, path).toBe(400);
      expect((JSON.parse(r.body) as { error: string }).error.length).toBeGreaterThan(5);
    }
  });
});
