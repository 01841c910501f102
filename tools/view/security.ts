/**
 * Who may talk to the viewer's server, as Jupyter decides it: only someone holding the random
 * token printed with the URL (in the query, or the cookie the page is served with), and only
 * through the address it listens on — a Host header naming anything else is a page elsewhere
 * that rebound its DNS name to this machine, and is refused.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'capsim_view_token';

/** 32 random bytes as hex: not guessable in any number of tries a local attacker could make. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** The Host header values that name this server: its address and port (and localhost when it listens on loopback). */
export function allowedHosts(host: string, port: number): Set<string> {
  const hosts = new Set([`${host}:${port}`]);
  if (host === '127.0.0.1' || host === '::1') hosts.add(`localhost:${port}`);
  if (host.includes(':')) hosts.add(`[${host}]:${port}`);
  return hosts;
}

export type Refusal = { status: 403; reason: string } | null;

/** Null when the request may be served; otherwise why not. Checked before anything else is read. */
export function refuse(req: IncomingMessage, url: URL, token: string, hosts: Set<string>): Refusal {
  const host = req.headers.host ?? '';
  if (!hosts.has(host.toLowerCase())) return { status: 403, reason: `Host '${host}' is not this server` };
  const given = url.searchParams.get('token') ?? cookie(req.headers.cookie ?? '', TOKEN_COOKIE) ?? '';
  if (!sameSecret(given, token)) return { status: 403, reason: 'a valid token is needed: open the URL capsim view printed' };
  return null;
}

function cookie(header: string, name: string): string | null {
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
