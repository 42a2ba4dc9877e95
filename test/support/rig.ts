/**
 * The real app on real parts, for every integration test: dynalite in-process, the Hono app, the
 * worker behind the in-process queue, and the GitHub stand-in that rejects any request GitHub's
 * OpenAPI description would; webhooks reach the app through `app.fetch`, signed as GitHub signs
 * them. The reliability tests use its fault-injection knobs: the world's parts (dynalite, the Hono app, the worker behind the
 * in-process queue, the GitHub stand-in), with the knobs fault injection needs — a DynamoDB that
 * can be stopped and restarted on the same port and data directory, store clients with short
 * timeouts, stand-in options (token lifetime), a proxy in front of the stand-in that can lose
 * GitHub's answer, and the scheduled redelivery pass on its own App client, as on Lambda.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ulid } from 'ulid';
import { afterEach, beforeEach, expect } from 'vitest';
import { createGitHubClients, type GitHubClients } from '../../src/github/client';
import type { AppRequester } from '../../src/github/deliveries';
import { startDynalite, type EmbeddedDynamo } from '../../src/local/dynalite';
import { startGitHubStandIn, type GitHubStandIn, type SeedRepo, type StandInOptions, type WebhookEvent } from '@arm64-ci/github-sim';
import { createLogger, type Logger } from '../../src/log';
import { createInProcessQueue, type InProcessQueue } from '../../src/queue/in-process';
import { runPasses, type PassOutcome } from '../../src/scheduled/passes';
import { createDocumentClient, ensureTable, localClientConfig, type StoreContext } from '../../src/store/dynamo';
import { createApp } from '../../src/wiring/app';
import { createWorker } from '../../src/wiring/worker';
import type { ParseSmokeArtifact, WorkerDeps } from '../../src/worker/deps';
import { PoisonMessageError } from '../../src/worker/process';
import { redeliverFailed, type RedeliveryOptions, type RedeliveryReport } from '../../src/redelivery/redeliver-failed';
import { settle as settleParts, type SettleOptions } from './settle';
import { APP_ID, PUBLIC_URL, seedRepo, testClock, testKeys, WEBHOOK_SECRET } from './world';

export { seedRepo, WEBHOOK_SECRET };

/** What the proxy in front of the stand-in does with one request. */
export type ProxyVerdict =
  /** Forward and answer as the stand-in did. */
  | 'pass'
  /** Forward (GitHub acts on it), then drop the connection: the answer is lost. */
  | 'lose-answer';

export interface RigOptions {
  repos?: SeedRepo[];
  standIn?: Partial<StandInOptions>;
  /** Keep DynamoDB in this directory (survives stopStore/startStore). */
  dataDir?: string;
  /** Put a proxy between the worker and the stand-in; `onGitHubRequest` decides per request. */
  proxy?: boolean;
  /** The in-process queue's back-off before retry n. Default 5 ms. */
  backoffMs?: (attempt: number) => number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** The store client's timeouts. Default: the production client's (1 s to connect, 3 s per request). */
  storeTimeouts?: { connectionTimeout: number; requestTimeout: number };
  /** How the worker parses smoke artifacts. Default: inline, as on Lambda. */
  parseSmokeArtifact?: ParseSmokeArtifact;
}

export interface Rig {
  app: ReturnType<typeof createApp>;
  gh: GitHubStandIn;
  store: StoreContext;
  queue: InProcessQueue;
  deps: WorkerDeps;
  /** The scheduled function's own App client (App JWT for /app/hook/deliveries). */
  scheduled: GitHubClients;
  clock: ReturnType<typeof testClock>;
  logs: string[];
  /** Decides what the proxy does with each worker → GitHub request (proxy: true). */
  onGitHubRequest: (req: { method: string; path: string }) => ProxyVerdict | Promise<ProxyVerdict>;
  send(ev: WebhookEvent, opts?: { deliveryId?: string }): Promise<{ status: number; body: any; deliveryId: string }>;
  /** Waits until the queue and the stand-in are both idle (./settle.ts); throws naming what is stuck. */
  settle(opts?: SettleOptions): Promise<void>;
  items(): Promise<Record<string, unknown>[]>;
  /** One redelivery pass, as the scheduled function runs it. */
  redeliver(opts?: Partial<RedeliveryOptions>): Promise<RedeliveryReport>;
  /** Every scheduled pass once (src/scheduled/passes.ts). */
  tick(): Promise<PassOutcome[]>;
  stopStore(): Promise<void>;
  startStore(): Promise<void>;
  close(): Promise<void>;
}

export async function startRig(opts: RigOptions = {}): Promise<Rig> {
  let port = 0;
  let dynamo: EmbeddedDynamo | null = await startDynalite(opts.dataDir ? { path: opts.dataDir } : {});
  port = Number(new URL(dynamo.endpoint).port);
  // One retry: a stopped store must fail a webhook well within GitHub's 10 s.
  const doc = createDocumentClient({
    ...localClientConfig(dynamo.endpoint),
    maxAttempts: 2,
    requestHandler: opts.storeTimeouts ?? { connectionTimeout: 1_000, requestTimeout: 3_000 },
  });
  const store: StoreContext = { doc, table: `t${ulid().toLowerCase()}` };
  await ensureTable(doc, store.table);

  const clock = testClock();
  const logs: string[] = [];
  const log: Logger = createLogger({ level: opts.logLevel ?? 'info', write: (l) => logs.push(l) });
  const { privateKey, publicKey } = testKeys();
  const gh = await startGitHubStandIn({
    app: { id: APP_ID, publicKeyPem: publicKey },
    repos: opts.repos ?? [seedRepo()],
    webhook: { secret: WEBHOOK_SECRET },
    now: clock.now,
    ...opts.standIn,
  });

  const rig = { onGitHubRequest: () => 'pass' } as Pick<Rig, 'onGitHubRequest'>;
  let proxy: Server | null = null;
  let githubUrl = gh.url;
  if (opts.proxy) {
    proxy = createServer((req, res) => void forward(gh.url, req, res, (r) => rig.onGitHubRequest(r)));
    await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', () => r()));
    githubUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  }

  const github = { appId: String(APP_ID), privateKey, baseUrl: githubUrl, log, writeIntervalMs: 0, retryBaseMs: 5 };
  const worker = createWorker({
    store,
    log,
    publicUrl: PUBLIC_URL,
    now: clock.now,
    github,
    ...(opts.parseSmokeArtifact ? { parseSmokeArtifact: opts.parseSmokeArtifact } : {}),
  });
  const queue = createInProcessQueue({
    process: worker.process,
    log,
    backoffMs: opts.backoffMs ?? (() => 5),
    isPermanent: (e) => e instanceof PoisonMessageError,
  });
  const app = createApp({ store, queue, log, webhookSecret: WEBHOOK_SECRET, badgeSecret: 'badge-secret', publicUrl: PUBLIC_URL, now: clock.now });
  gh.webhookTarget = (req: Request) => app.fetch(req);
  const scheduled = createGitHubClients({ ...github, baseUrl: gh.url });
  const scheduledDeps = { store, github: scheduled, log: log.child({ component: 'scheduled' }), now: clock.now };

  const settle = (o?: SettleOptions) => settleParts({ queue, gh }, o);

  return Object.assign(rig, {
    app,
    gh,
    store,
    queue,
    deps: worker.deps,
    scheduled,
    clock,
    logs,
    settle,
    async send(ev: WebhookEvent, o: { deliveryId?: string } = {}) {
      const r = await gh.deliver({ ...ev, ...(o.deliveryId ? { deliveryId: o.deliveryId } : {}) });
      await settle();
      let body: unknown = r.body;
      try {
        body = JSON.parse(r.body);
      } catch {
        // not JSON: keep the text
      }
      return { status: r.status, body, deliveryId: r.deliveryId };
    },
    async items() {
      const out: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const r = await doc.send(new ScanCommand({ TableName: store.table, ExclusiveStartKey: start }));
        out.push(...(r.Items ?? []));
        start = r.LastEvaluatedKey;
      } while (start);
      return out;
    },
    redeliver: (o: Partial<RedeliveryOptions> = {}) =>
      redeliverFailed({ ...scheduledDeps, app: scheduled.app.octokit as unknown as AppRequester }, o),
    tick: () => runPasses(scheduledDeps),
    async stopStore() {
      await dynamo?.close();
      dynamo = null;
    },
    async startStore() {
      if (dynamo) return;
      dynamo = await startDynalite({ ...(opts.dataDir ? { path: opts.dataDir } : {}), port });
    },
    async close() {
      await queue.close();
      await gh.close();
      doc.destroy();
      if (proxy) {
        proxy.closeAllConnections();
        await new Promise((r) => proxy!.close(r));
      }
      await dynamo?.close();
    },
  }) as Rig;
}

/** A minimal forwarding proxy: the worker talks to it as if it were GitHub. */
async function forward(
  target: string,
  req: IncomingMessage,
  res: ServerResponse,
  decide: (r: { method: string; path: string }) => ProxyVerdict | Promise<ProxyVerdict>,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', target);
  const verdict = await decide({ method, path: url.pathname });
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || ['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(k)) continue;
    headers.set(k, Array.isArray(v) ? v.join(', ') : v);
  }
  const upstream = await fetch(url, {
    method,
    headers,
    ...(chunks.length && method !== 'GET' && method !== 'HEAD' ? { body: Buffer.concat(chunks) } : {}),
    redirect: 'manual',
  });
  const body = Buffer.from(await upstream.arrayBuffer());
  if (verdict === 'lose-answer') {
    // GitHub acted; the worker never hears about it (as when a process dies mid-request).
    req.socket.destroy();
    return;
  }
  const out: Record<string, string> = {};
  upstream.headers.forEach((v, k) => {
    if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding', 'keep-alive'].includes(k)) out[k] = v;
  });
  res.writeHead(upstream.status, out);
  res.end(body);
}

/** `count` of what the stand-in recorded, by method and path pattern. */
export function requestsTo(gh: GitHubStandIn, method: string, path: RegExp): number {
  return gh.requests.filter((r) => r.method === method && path.test(r.path)).length;
}

/** One line of figures for docs/RELIABILITY.md; the tests print it so the numbers there are real. */
export function figures(name: string, f: Record<string, unknown>): void {
  console.log(`[reliability] ${name}: ${Object.entries(f).map(([k, v]) => `${k}=${typeof v === 'number' ? v : JSON.stringify(v)}`).join(' ')}`);
}

/**
 * A fresh rig for each test of the file, closed after it; a request GitHub would refuse (or one
 * the stand-in does not implement) fails the test that made it.
 */
export function rigForEachTest<R extends Rig>(start: () => Promise<R>, set: (rig: R) => void): void {
  let rig: R | null = null;
  beforeEach(async () => {
    rig = await start();
    set(rig);
  });
  afterEach(async () => {
    if (!rig) return;
    const r = rig;
    rig = null;
    // Every request the coordinator made must have been one GitHub would accept.
    expect(r.gh.violations).toEqual([]);
    expect(r.gh.unimplemented).toEqual([]);
    await r.close();
  });
}
