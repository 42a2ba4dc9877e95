/** How the stand-in writes an answer: GitHub's JSON and error bodies, raw bytes, ETags. */
import { createHash, randomBytes } from 'node:crypto';
import type { Reply } from './routes';

/** Where error bodies point when no operation-specific page is known. */
export const DOCS = 'https://docs.github.com/rest';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const h = new Headers({ 'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(), ...headers });
  if (status === 204 || status === 304 || body === undefined) return new Response(null, { status, headers: h });
  h.set('content-type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(body), { status, headers: h });
}

export function error(status: number, message: string, documentationUrl = DOCS, extra: Record<string, unknown> = {}): Response {
  return json(status, { message, documentation_url: documentationUrl, status: String(status), ...extra });
}

/** A route's reply as a Response; `now` is the stand-in's clock. */
export function reply(r: Reply, now: Date): Response {
  if (r.raw !== undefined) {
    const bytes = typeof r.raw === 'string' ? new TextEncoder().encode(r.raw) : r.raw;
    return new Response(bytes as BodyInit, {
      status: r.status,
      headers: { 'content-type': r.contentType ?? 'application/octet-stream', ...(r.headers ?? {}) },
    });
  }
  return json(r.status, r.body, {
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-used': '1',
    'x-ratelimit-resource': 'core',
    'x-ratelimit-reset': String(Math.floor(now.getTime() / 1000) + 3600),
    ...(r.headers ?? {}),
  });
}

/** A weak validator of the answer's content, like GitHub's `W/"…"` ETags on JSON answers. */
export function etagOf(r: Reply): string {
  const content = r.raw !== undefined ? r.raw : JSON.stringify(r.body ?? null);
  return `W/"${createHash('sha256').update(content).digest('hex').slice(0, 40)}"`;
}

/** If-None-Match holds one or more ETags (or `*`); weak and strong forms compare equal (RFC 9110 weak comparison). */
export function etagMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

export function withHeaders(res: Response, headers: Record<string, string>): Response {
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  return res;
}
