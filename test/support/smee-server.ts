import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for smee.io, speaking its protocol: `HEAD /new` redirects to a fresh channel;
 * `POST /<channel>` takes a webhook and answers at once; `GET /<channel>` (text/event-stream)
 * sends each one as a `message` whose data is the request's headers (lower-case) with `body` (the
 * parsed JSON), `query` and `timestamp` — what smee-client reads.
 */
export interface SmeeServer {
  url: string;
  /** Webhooks posted per channel path (`/abc`). */
  posted: Map<string, number>;
  /** Listeners connected per channel path. */
  listeners(channel: string): number;
  close(): Promise<void>;
}

export async function startSmeeServer(): Promise<SmeeServer> {
  const streams = new Map<string, Set<ServerResponse>>();
  const posted = new Map<string, number>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const channel = url.pathname;
    if (channel === '/new' && (req.method === 'HEAD' || req.method === 'GET')) {
      res.writeHead(307, { location: `${base}/${randomBytes(8).toString('base64url')}` }).end();
      return;
    }
    if (req.method === 'GET' && /^\/[\w-]+$/.test(channel)) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write('event: ready\ndata: {}\n\n');
      const set = streams.get(channel) ?? new Set();
      set.add(res);
      streams.set(channel, set);
      req.on('close', () => set.delete(res));
      return;
    }
    if (req.method === 'POST' && /^\/[\w-]+$/.test(channel)) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          res.writeHead(400).end('not JSON');
          return;
        }
        posted.set(channel, (posted.get(channel) ?? 0) + 1);
        const data = { ...req.headers, body, query: Object.fromEntries(url.searchParams), timestamp: Date.now() };
        for (const s of streams.get(channel) ?? []) s.write(`data: ${JSON.stringify(data)}\n\n`);
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    posted,
    listeners: (channel) => streams.get(channel)?.size ?? 0,
    close: () =>
      new Promise<void>((r) => {
        for (const set of streams.values()) for (const s of set) s.end();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
