/**
 * The viewer's HTTP server (node:http): the page and its assets, and a small JSON API over the
 * recorded timelines — the summary of one, the frame at a position, one capability's
 * derivation. Every request is checked first (security.ts: the Host header, then the token);
 * only GET is served; a path that is not one of the routes or assets is not found.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readAsset } from './assets.ts';
import { capAt, frameAt } from './frame.ts';
import { allowedHosts, newToken, refuse, TOKEN_COOKIE } from './security.ts';
import { parsePulls } from './timeline-spec.ts';
import { summarize, type Timelines } from './timelines.ts';

export interface ViewServer {
  url: string;
  host: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  timelines: Timelines;
  /** Default 127.0.0.1: nobody else on the network can reach it. */
  host?: string;
  /** Default 0: a free port the system picks. */
  port?: number;
  /** Told of a request that failed inside (not a refusal); the server answers 500 and goes on. */
  onError?: (error: unknown) => void;
}

class BadRequest extends Error {}

export async function serve(opts: ServeOptions): Promise<ViewServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = newToken();
  let hosts = new Set<string>();
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof BadRequest || error instanceof RangeError) return send(res, 400, { error: error.message });
      opts.onError?.(error);
      send(res, 500, { error: 'the viewer failed to answer this request' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A URL that does not parse against this server is answered before anything is looked up.
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://viewer.invalid');
    } catch {
      return send(res, 400, { error: 'bad request path' });
    }
    const refusal = refuse(req, url, token, hosts);
    if (refusal !== null) return send(res, refusal.status, { error: refusal.reason });
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'only GET is served' });
    const path = req.url?.split('?')[0] ?? '/';
    if (path === '/' || path === '/index.html') {
      const page = await readAsset('index.html');
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      return sendBytes(res, 200, page as { body: Buffer; type: string });
    }
    if (path.startsWith('/assets/')) {
      // The raw path, not a normalised one: '/assets/../x' and '%2e%2e' are simply no asset's name.
      const asset = await readAsset(path.slice('/assets/'.length));
      if (asset === null) return send(res, 404, { error: 'no such asset' });
      return sendBytes(res, 200, asset);
    }
    if (path.startsWith('/api/')) return api(path.slice('/api/'.length), url, res);
    return send(res, 404, { error: 'not found' });
  }

  async function api(route: string, url: URL, res: ServerResponse): Promise<void> {
    const pulls = parsePulls(url.searchParams.get('pulls') ?? '');
    if (pulls === null) throw new BadRequest("pulls must read like '12:0,40:2' (after position, batches kept), positions increasing");
    const rec = await opts.timelines.get(pulls);
    if (route === 'timeline') return send(res, 200, summarize(rec, true));
    const pos = number(url, 'pos');
    if (pos > rec.last) throw new BadRequest(`position ${pos} is after the last one (${rec.last})`);
    if (route === 'frame') return send(res, 200, frameAt(rec, pos));
    if (route === 'cap') {
      const found = capAt(rec, pos, number(url, 'pid'), number(url, 'slot'));
      return found === null ? send(res, 404, { error: 'no capability in that slot at that position' }) : send(res, 200, found);
    }
    return send(res, 404, { error: 'no such API' });
  }

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, host, () => done());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    host,
    port,
    token,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function number(url: URL, name: string): number {
  const text = url.searchParams.get(name);
  if (text === null || !/^\d{1,9}$/.test(text)) throw new BadRequest(`${name} must be a whole number`);
  return Number(text);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendBytes(res, status, { body: Buffer.from(JSON.stringify(body)), type: 'application/json; charset=utf-8' });
}

function sendBytes(res: ServerResponse, status: number, { body, type }: { body: Buffer; type: string }): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    // The page's own files only: no other origin may be loaded or framed.
    'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
  });
  res.end(body);
}
