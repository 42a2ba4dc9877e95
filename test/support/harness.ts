/**
 * The real app on real parts: dynalite in-process, the Hono app, the worker behind the in-process
 * queue, and the GitHub stand-in that rejects any request GitHub's OpenAPI description would.
 * Webhooks reach the app through `app.fetch`, signed exactly as GitHub signs them.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Hono } from 'hono';
import { ulid } from 'ulid';
import { startDynalite, type EmbeddedDynamo } from '../../src/local/dynalite';
import { startGitHubStandIn, type GitHubStandIn, type SeedRepo, type WebhookEvent } from '../../src/local/github-standin';
import { sandboxKeys } from '../../src/local/sandbox';
import { createLogger, type Logger } from '../../src/log';
import { createInProcessQueue, type InProcessQueue } from '../../src/queue/in-process';
import { createApp } from '../../src/wiring/app';
import { createWorker } from '../../src/wiring/worker';
import { createDocumentClient, ensureTable, localClientConfig, type StoreContext } from '../../src/store/dynamo';
import type { WorkerDeps } from '../../src/worker/deps';
import { PoisonMessageError } from '../../src/worker/process';

export const WEBHOOK_SECRET = 'test-webhook-secret';
export const APP_ID = 4242;
export const PUBLIC_URL = 'https://arm64-ci.example.test';

let keys: ReturnType<typeof sandboxKeys> | null = null;
/** RSA key generation is slow: one key pair per test process. */
export const testKeys = () => (keys ??= sandboxKeys());

export const CONFIG = `workflow: arm64-ci.yml
runner_labels: [self-hosted, arm64, dgx]
triggers:
  push: [main, "release/*"]
inputs:
  python-versions: '["3.10","3.11"]'
`;

export const WORKFLOW_INPUTS = {
  sha: { required: true },
  pr: { required: false, default: '' },
  runner_labels: { required: true },
  dispatch_id: { required: true },
  'python-versions': { required: false },
};

export function seedRepo(over: Partial<SeedRepo> = {}): SeedRepo {
  return {
    owner: 'octo-org',
    name: 'widget',
    installationId: 7,
    defaultBranch: 'main',
    files: { '.github/arm64-ci.yml': CONFIG },
    workflows: [{ file: 'arm64-ci.yml', name: 'arm64 CI', runName: 'arm64 CI ${{ inputs.dispatch_id }}', inputs: WORKFLOW_INPUTS }],
    collaborators: { maintainer: 'write', reader: 'read', admin: 'admin' },
    runners: [{ name: 'dgx-01', labels: ['self-hosted', 'arm64', 'dgx'], status: 'online' }],
    ...over,
  };
}

/** A clock tests move by hand. */
export function testClock(start = new Date('2026-11-25T12:00:00Z')) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    },
    set: (d: Date) => {
      t = d.getTime();
    },
  };
}

export interface Harness {
  app: Hono;
  gh: GitHubStandIn;
  store: StoreContext;
  queue: InProcessQueue;
  deps: WorkerDeps;
  clock: ReturnType<typeof testClock>;
  logs: string[];
  /** Delivers a stand-in-built event to the app and waits for all resulting work. */
  send(ev: WebhookEvent, opts?: { deliveryId?: string }): Promise<{ status: number; body: any; deliveryId: string }>;
  /** Waits until the stand-in's deliveries and the worker's queue are both idle. */
  settle(): Promise<void>;
  /** Every item in the table (for "nothing was written" assertions). */
  items(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
  dynamo: EmbeddedDynamo;
}

export async function startHarness(opts: { repos?: SeedRepo[]; logLevel?: 'debug' | 'info' | 'warn' | 'error' } = {}): Promise<Harness> {
  const dynamo = await startDynalite();
  const doc = createDocumentClient({ ...localClientConfig(dynamo.endpoint), maxAttempts: 1 });
  const store: StoreContext = { doc, table: `t${ulid().toLowerCase()}` };
  await ensureTable(doc, store.table);
  const clock = testClock();
  const logs: string[] = [];
  const log: Logger = createLogger({ level: opts.logLevel ?? 'debug', write: (l) => logs.push(l), now: clock.now });
  const { privateKey, publicKey } = testKeys();
  const gh = await startGitHubStandIn({
    app: { id: APP_ID, publicKeyPem: publicKey },
    repos: opts.repos ?? [seedRepo()],
    webhook: { secret: WEBHOOK_SECRET },
    now: clock.now,
  });
  const worker = createWorker({
    store,
    log,
    publicUrl: PUBLIC_URL,
    now: clock.now,
    github: { appId: String(APP_ID), privateKey, baseUrl: gh.url, log, writeIntervalMs: 0, retryBaseMs: 5 },
  });
  const queue = createInProcessQueue({
    process: worker.process,
    log,
    backoffMs: () => 5,
    isPermanent: (e) => e instanceof PoisonMessageError,
  });
  const app = createApp({ store, queue, log, webhookSecret: WEBHOOK_SECRET, badgeSecret: 'badge-secret', publicUrl: PUBLIC_URL, now: clock.now });
  gh.webhookTarget = (req: Request) => app.fetch(req);

  const settle = async () => {
    for (let i = 0; i < 50; i++) {
      await gh.settled();
      await queue.drain();
      await gh.settled();
      await new Promise((r) => setImmediate(r));
      if ((await queue.drain().then(() => true)) && i > 0) break;
    }
  };

  return {
    app,
    gh,
    store,
    queue,
    deps: worker.deps,
    clock,
    logs,
    dynamo,
    settle,
    async send(ev, o = {}) {
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
      const r = await doc.send(new ScanCommand({ TableName: store.table }));
      return r.Items ?? [];
    },
    async close() {
      queue.close();
      await gh.close();
      doc.destroy();
      await dynamo.close();
    },
  };
}
