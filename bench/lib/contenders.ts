// The three webhook receivers compared by the ingest benchmarks, built the same way in-process
// (for CPU per request) and in a child process (for throughput over loopback).
import { createServer, type Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Webhooks, createWebMiddleware } from '@octokit/webhooks';
import { Hono } from 'hono';
import pino from 'pino';
import { Probot, createNodeMiddleware } from 'probot';
import { generateAppKeys } from '@arm64-ci/github-sim';
import { createLogger, type Logger } from '../../src/log';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Queue, QueueMessage } from '../../src/queue/queue';
import { SqsQueue } from '../../src/queue/sqs';
import { createDocumentClient, ensureTable, localClientConfig, type StoreContext } from '../../src/store/dynamo';
import { recordDelivery } from '../../src/store/deliveries';
import { createAwsJsonClient } from '../../src/handlers/ingest-aws';
import { sqsJsonQueue } from '../../src/handlers/ingest-queue';
import { dynamoWebhookStore } from '../../src/handlers/ingest-store';
import { createWebhookApp } from '../../src/http/webhook-app';
import { SECRET, WEBHOOK_PATH } from './payload';
import { startChild } from './processes';

export const CONTENDERS = ['floor', 'ours', 'probot'] as const;
export type ContenderName = (typeof CONTENDERS)[number];

export const LABELS: Record<ContenderName, string> = {
  floor: 'floor: bare Hono, verify + 202',
  ours: 'ours: ingest app (verify, dedupe put, enqueue)',
  probot: 'Probot 14 (verify, same put, same enqueue)',
};

/** The queue of the benchmarks: accepts and counts; the worker is measured on its own. */
export function countingQueue(): Queue & { sent: number; last: QueueMessage | null } {
  const q = {
    sent: 0,
    last: null as QueueMessage | null,
    async send(m: QueueMessage) {
      q.sent++;
      q.last = m;
    },
  };
  return q;
}

/**
 * The queue as on Lambda: the real SQS client and SqsQueue, sending to the SQS stand-in at `url`
 * (bench/child/sqs.ts), counting what it sent.
 */
export function sqsQueue(url: string): Queue & { sent: number; url: string } {
  const inner = new SqsQueue({
    queueUrl: `${url}/123456789012/bench.fifo`,
    client: new SQSClient({ region: 'us-east-1', endpoint: url, credentials: BENCH_CREDENTIALS }),
  });
  const q = {
    sent: 0,
    url,
    async send(m: QueueMessage) {
      await inner.send(m);
      q.sent++;
    },
  };
  return q;
}

const BENCH_CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

export const startSqsChild = () => startChild<{ type: 'ready'; url: string }>('sqs.ts');

/** Logs are serialised as in production (JSON lines) but not written anywhere. */
export const sinkLogger = (): Logger => createLogger({ level: 'info', write: () => {} });

/** The store (its SDK client, for Probot's handler and the harness) and where it listens (for ours). */
export type BenchStore = StoreContext & { endpoint: string };

export async function benchStore(endpoint: string, table = 'bench'): Promise<BenchStore> {
  const doc = createDocumentClient(localClientConfig(endpoint));
  await ensureTable(doc, table);
  return { doc, table, endpoint };
}

/** (a) The floor: what any receiver must do — read the body, check the HMAC, answer 202. */
export function floorApp(): Hono {
  const webhooks = new Webhooks({ secret: SECRET });
  const app = new Hono();
  app.post(WEBHOOK_PATH, async (c) => {
    const signature = c.req.header('x-hub-signature-256');
    const body = await c.req.text();
    if (!signature || !(await webhooks.verify(body, signature))) return c.json({ error: 'bad signature' }, 401);
    return c.json({ status: 'accepted' }, 202);
  });
  return app;
}

/**
 * (b) Ours: the ingest Lambda's app as src/handlers/ingest.ts builds it — the webhook route over
 * the ingest function's own AWS client (src/handlers/ingest-aws.ts) for the put and, given the
 * SQS stand-in's queue, the send (counted on the same counter as Probot's sends).
 */
export function oursApp(store: BenchStore, queue: Queue & { url?: string; sent?: number }): Hono {
  const client = createAwsJsonClient({ region: 'us-east-1', credentials: BENCH_CREDENTIALS, endpoints: { dynamodb: store.endpoint } });
  let q: Queue = queue;
  if (queue.url) {
    const lean = sqsJsonQueue(client, `${queue.url}/123456789012/bench.fifo`);
    q = {
      async send(m) {
        await lean.send(m);
        queue.sent!++;
      },
    };
  }
  return createWebhookApp({ intake: dynamoWebhookStore(client, store.table), queue: q, log: sinkLogger(), now: () => new Date(), webhookSecret: async () => SECRET });
}

/**
 * (c) Probot doing the same work in a handler: Probot verifies and parses, the handler records the
 * delivery with the same conditional put and enqueues the same message (Probot does not keep the
 * raw body, so the handler serialises the payload again, as a Probot app would have to).
 */
export async function probotApp(store: StoreContext, queue: Queue): Promise<Probot> {
  const { privateKey } = generateAppKeys();
  const probot = new Probot({
    appId: 1,
    privateKey,
    secret: SECRET,
    log: pino({ level: 'info' }, { write: () => {} }),
  });
  await probot.load((app) => {
    app.on('push', async (context) => {
      const now = new Date();
      const seen = await recordDelivery(store, { deliveryId: context.id, event: context.name, now });
      if (seen === 'duplicate') return;
      await queue.send({
        deliveryId: context.id,
        event: context.name,
        payload: JSON.stringify(context.payload),
        receivedAt: now.toISOString(),
        groupId: context.payload.repository.full_name.toLowerCase(),
      });
      context.log.info({ deliveryId: context.id, event: context.name }, 'accepted');
    });
  });
  return probot;
}

export interface InProcess {
  fetch(req: Request): Response | Promise<Response>;
}

/** A contender as a `Request → Response` function (Probot through @octokit/webhooks' web middleware on its own Webhooks). */
export async function inProcess(name: ContenderName, store: BenchStore | null, queue: Queue): Promise<InProcess> {
  if (name === 'floor') return floorApp();
  if (name === 'ours') return oursApp(store!, queue);
  const probot = await probotApp(store!, queue);
  const mw = createWebMiddleware(probot.webhooks, { path: WEBHOOK_PATH, log: probot.log });
  return { fetch: (req) => mw(req) as Promise<Response> };
}

/** A contender on a loopback port, as it would be served: @hono/node-server, or Probot's node middleware. */
export async function listen(name: ContenderName, store: BenchStore | null, queue: Queue): Promise<{ url: string; close(): Promise<void> }> {
  let server: Server;
  if (name === 'probot') {
    const probot = await probotApp(store!, queue);
    const handler = await createNodeMiddleware(() => {}, { probot });
    server = createServer((req, res) => {
      void handler(req, res, () => res.writeHead(404).end());
    });
    server.listen(0, '127.0.0.1');
  } else {
    const app = name === 'floor' ? floorApp() : oursApp(store!, queue);
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  }
  await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
  const addr = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
