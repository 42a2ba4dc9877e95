import { serve } from '@hono/node-server';
import { sign } from '@octokit/webhooks-methods';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_WEBHOOK_BYTES } from '../src/http/webhook-route';
import { examplePayload } from '@arm64-ci/github-sim';
import { startHarness, WEBHOOK_SECRET, type Harness } from './support/harness';
import { rigForEachTest } from './support/rig';

let h: Harness;
rigForEachTest(startHarness, (rig) => (h = rig));

const post = async (body: string, headers: Record<string, string>): Promise<Response> =>
  h.app.request('/api/github/webhooks', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

async function signed(event: string, body: string, delivery = crypto.randomUUID()) {
  return {
    'x-github-event': event,
    'x-github-delivery': delivery,
    'x-hub-signature-256': await sign(WEBHOOK_SECRET, body),
  };
}

/** A real push example, adapted to the seeded repository so it would dispatch if accepted. */
function pushBody(): string {
  return JSON.stringify(h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref: 'refs/heads/main', after: 'b'.repeat(40) }).payload);
}

describe('POST /api/github/webhooks', () => {
  it('answers 401 to an unsigned request, calls no GitHub API and writes nothing', async () => {
    const body = pushBody();
    const { 'x-hub-signature-256': _sig, ...headers } = await signed('push', body);
    const r = await post(body, headers);
    expect(r.status).toBe(401);
    await h.settle();
    expect(h.gh.requests).toHaveLength(0);
    expect(await h.items()).toHaveLength(0);
  });

  it('answers 401 to a wrong signature, and to a body changed after signing', async () => {
    const body = pushBody();
    const wrongKey = await post(body, { ...(await signed('push', body)), 'x-hub-signature-256': await sign('not-the-secret', body) });
    expect(wrongKey.status).toBe(401);
    const tampered = await post(body.replace('octo-org', 'evil-org'), await signed('push', body));
    expect(tampered.status).toBe(401);
    const garbage = await post(body, { ...(await signed('push', body)), 'x-hub-signature-256': 'sha256=zz' });
    expect(garbage.status).toBe(401);
    await h.settle();
    expect(h.gh.requests).toHaveLength(0);
    expect(await h.items()).toHaveLength(0);
  });

  it('answers 400 to malformed JSON, even when validly signed', async () => {
    const body = '{"ref": "refs/heads/main", ';
    const r = await post(body, await signed('push', body));
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toContain('JSON');
    expect(await h.items()).toHaveLength(0);
  });

  it('answers 400 when X-GitHub-Event or X-GitHub-Delivery is missing', async () => {
    const body = pushBody();
    const { 'x-github-event': _e, ...noEvent } = await signed('push', body);
    expect((await post(body, noEvent)).status).toBe(400);
    const { 'x-github-delivery': _d, ...noDelivery } = await signed('push', body);
    expect((await post(body, noDelivery)).status).toBe(400);
    expect(await h.items()).toHaveLength(0);
  });

  it('answers 202 ignored to events it does not act on, storing nothing', async () => {
    for (const [event, action] of [['star', 'created'], ['issues', 'opened'], ['ping', undefined], ['pull_request', 'labeled']] as const) {
      const body = JSON.stringify(examplePayload(event, action));
      const r = await post(body, await signed(event, body));
      expect(r.status).toBe(202);
      expect(await r.json()).toMatchObject({ status: 'ignored' });
    }
    expect(await h.items()).toHaveLength(0);
  });

  it('answers 413 to a body over 25 MiB', async () => {
    const body = 'x'.repeat(25 * 1024 * 1024 + 1);
    const r = await post(body, { 'x-github-event': 'push', 'x-github-delivery': crypto.randomUUID(), 'x-hub-signature-256': 'sha256=00' });
    expect(r.status).toBe(413);
  });

  it('answers 413 from the Content-Length header alone, before reading the body', async () => {
    const r = await h.app.request('/api/github/webhooks', {
      method: 'POST',
      body: '{}',
      headers: {
        'content-type': 'application/json',
        'content-length': String(25 * 1024 * 1024 + 1),
        'x-github-event': 'push',
        'x-github-delivery': crypto.randomUUID(),
        'x-hub-signature-256': 'sha256=00',
      },
    });
    expect(r.status).toBe(413);
    expect(await h.items()).toHaveLength(0);
  });

  /** A body that counts what is pulled from it: `total` bytes (endless when omitted), in 64 KiB chunks, none ahead of a read. */
  function countingBody(total = Infinity, fill = 0x20) {
    const CHUNK = 64 * 1024;
    const seen = { pulled: 0 };
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          const n = Math.min(CHUNK, total - seen.pulled);
          if (n <= 0) return controller.close();
          seen.pulled += n;
          controller.enqueue(new Uint8Array(n).fill(fill));
        },
      },
      { highWaterMark: 0 },
    );
    return { stream, seen, CHUNK };
  }

  it('refuses a body over the limit by Content-Length with 413 without reading a byte of it', async () => {
    const { stream, seen } = countingBody();
    const r = await h.app.request('/api/github/webhooks', {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: {
        'content-type': 'application/json',
        'content-length': String(MAX_WEBHOOK_BYTES + 1),
        'x-github-event': 'push',
        'x-github-delivery': crypto.randomUUID(),
        'x-hub-signature-256': 'sha256=00',
      },
    } as RequestInit);
    expect(r.status).toBe(413);
    expect(seen.pulled).toBe(0);
    expect(await h.items()).toHaveLength(0);
  });

  it('reads a chunked body over the limit no further than the limit, then answers 413', async () => {
    const { stream, seen, CHUNK } = countingBody();
    const r = await h.app.request('/api/github/webhooks', {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': crypto.randomUUID(), 'x-hub-signature-256': 'sha256=00' },
    } as RequestInit);
    expect(r.status).toBe(413);
    expect(await r.json()).toEqual({ error: `payload larger than ${MAX_WEBHOOK_BYTES} bytes` });
    // The chunk that crossed the limit, and nothing after it, of an endless body.
    expect(seen.pulled).toBeGreaterThan(MAX_WEBHOOK_BYTES);
    expect(seen.pulled).toBeLessThanOrEqual(MAX_WEBHOOK_BYTES + CHUNK);
    expect(await h.items()).toHaveLength(0);
  });

  it('accepts a signed push sent chunked, without Content-Length', async () => {
    const body = pushBody();
    const bytes = new TextEncoder().encode(body);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 1000) controller.enqueue(bytes.slice(i, i + 1000));
        controller.close();
      },
    });
    const r = await h.app.request('/api/github/webhooks', {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: { 'content-type': 'application/json', ...(await signed('push', body)) },
    } as RequestInit);
    expect(r.status).toBe(202);
    await h.settle();
    expect(h.gh.dispatches).toHaveLength(1);
  });

  it('answers 413 over a real socket to a chunked body that goes on past the limit', async () => {
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((r) => server.once('listening', () => r()));
    const { port } = server.address() as AddressInfo;
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/github/webhooks',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'x-github-event': 'push', 'x-github-delivery': crypto.randomUUID(), 'x-hub-signature-256': 'sha256=00' },
        });
        let answered = false;
        req.on('response', (res) => {
          answered = true;
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', (e) => (answered ? undefined : reject(e)));
        const chunk = Buffer.alloc(256 * 1024, 0x20);
        let sent = 0;
        // Keeps sending (up to twice the limit) until the server answers.
        const pump = () => {
          while (!answered && sent < 2 * MAX_WEBHOOK_BYTES) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end();
        };
        pump();
      });
      expect(status).toBe(413);
    } finally {
      (server as unknown as { closeAllConnections(): void }).closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('accepts a large push by dropping the commit list the worker never reads', async () => {
    const payload = h.gh.events.pushEvent(h.gh.repo('octo-org', 'widget'), { ref: 'refs/heads/main', after: 'c'.repeat(40) }).payload;
    const commit = (payload.commits as unknown[])[0] ?? { id: 'c'.repeat(40), message: 'x' };
    payload.commits = Array.from({ length: 2000 }, () => commit);
    const body = JSON.stringify(payload);
    expect(body.length).toBeGreaterThan(256 * 1024);
    const r = await post(body, await signed('push', body));
    expect(r.status).toBe(202);
    await h.settle();
    expect(h.gh.dispatches).toHaveLength(1);
  });

  it('treats the same delivery twice as a duplicate and dispatches once', async () => {
    const body = pushBody();
    const headers = await signed('push', body);
    const first = await post(body, headers);
    const second = await post(body, headers);
    expect(await first.json()).toEqual({ status: 'accepted' });
    expect(second.status).toBe(202);
    expect(await second.json()).toEqual({ status: 'duplicate' });
    await h.settle();
    expect(h.gh.dispatches).toHaveLength(1);
    expect(h.gh.checkRuns('octo-org', 'widget')).toHaveLength(1);
  });

  it('dispatches once for 50 identical deliveries sent in parallel', async () => {
    const body = pushBody();
    const headers = await signed('push', body);
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(body, headers).then(async (r) => ({ status: r.status, body: await r.json() }))));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    expect(answers.filter((a) => a.body.status === 'accepted')).toHaveLength(1);
    expect(answers.filter((a) => a.body.status === 'duplicate')).toHaveLength(49);
    await h.settle();
    expect(h.gh.dispatches).toHaveLength(1);
    expect(h.gh.checkRuns('octo-org', 'widget')).toHaveLength(1);
  });

  it('answers 503 while the store is down, so GitHub records a failure to redeliver', async () => {
    await h.stopStore();
    const body = pushBody();
    const r = await post(body, await signed('push', body));
    expect(r.status).toBe(503);
    expect(h.gh.requests).toHaveLength(0);
  });

  it('answers 400 to an empty body and to JSON that is not an object', async () => {
    const empty = await post('', { 'x-github-event': 'push', 'x-github-delivery': crypto.randomUUID(), 'x-hub-signature-256': 'sha256=00' });
    expect(empty.status).toBe(400);
    const arr = '[1,2,3]';
    expect((await post(arr, await signed('push', arr))).status).toBe(400);
  });
});

describe('GET /healthz', () => {
  it('is 200 while the store answers and 503 when it does not', async () => {
    const ok = await h.app.request('/healthz');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });
    await h.stopStore();
    const down = await h.app.request('/healthz');
    expect(down.status).toBe(503);
  });
});
