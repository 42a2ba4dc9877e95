// 5. Worker throughput: a burst of queued push events (successive pushes to the default branch of
// many repositories) processed by the real worker against the GitHub stand-in; the store and the
// stand-in each run in their own process, so this process's CPU is the worker's.
import { randomUUID } from 'node:crypto';
import { generateAppKeys } from '@arm64-ci/github-sim';
import { createInProcessQueue } from '../src/queue/in-process';
import type { QueueMessage } from '../src/queue/queue';
import { createDocumentClient, ensureTable, localClientConfig, type StoreContext } from '../src/store/dynamo';
import { createWorker } from '../src/wiring/worker';
import { PoisonMessageError } from '../src/worker/process';
import { meterCapacity } from './lib/capacity';
import { sinkLogger } from './lib/contenders';
import { startChild, type Child } from './lib/processes';
import { round } from './lib/stats';

export interface WorkerBurstResult {
  events: number;
  repos: number;
  installations: number;
  concurrency: number;
  seconds: number;
  eventsPerSec: number;
  workerCpuMsPerEvent: number;
  githubRequestsPerEvent: number;
  /**
   * Requests by operation (most frequent first), against what the work needs at the least:
   * `expected` is that count, `extra` what was sent beyond it (null: an operation not expected at all).
   */
  githubByOperation: { operation: string; perEvent: number; total: number; expected: number | null; extra: number }[];
  /** Requests beyond the least the work needs, per event: 0 means no redundant call. */
  redundantRequestsPerEvent: number;
  tokenRequests: number;
  deadLetters: number;
  violations: number;
  /** Store-reported consumed capacity per push, the whole worker side (ingest adds its own put). */
  capacityPerEvent: { write: number; read: number; calls: Record<string, number> };
}

type Req = { method: string; path: string; status: number; operationId: string | null };

/** `GET /repos/o/r/contents/x` → `GET /repos/{owner}/{repo}/contents/…`: group requests by route. */
function routeOf(r: Req): string {
  const p = r.path
    .replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{owner}/{repo}')
    .replace(/\/app\/installations\/\d+/, '/app/installations/{id}')
    .replace(/^\/orgs\/[^/]+/, '/orgs/{org}')
    .replace(/\/contents\/.*/, '/contents/{path}')
    .replace(/\/(check-runs|runs|jobs|artifacts|workflows|pulls|issues|comments)\/[^/]+/g, '/$1/{id}')
    .replace(/\/commits\/[0-9a-f]{40}/, '/commits/{sha}');
  return `${r.method} ${p}`;
}

/**
 * The least each operation is needed for the burst: every push reads the config, creates a check
 * run and dispatches; every push after a repository's first supersedes the previous run (cancel it,
 * complete its check run); tokens once per installation; runner listings (the fleet view) once per
 * repository and once per organisation for each minute the burst lasts.
 */
function leastRequests(b: { events: number; repos: number; installations: number; minutes: number }): Record<string, number> {
  const superseded = b.events - b.repos;
  return {
    'GET /repos/{owner}/{repo}/contents/{path}': b.events,
    'POST /repos/{owner}/{repo}/check-runs': b.events,
    'POST /repos/{owner}/{repo}/actions/workflows/{id}/dispatches': b.events,
    'POST /repos/{owner}/{repo}/actions/runs/{id}/cancel': superseded,
    'PATCH /repos/{owner}/{repo}/check-runs/{id}': superseded,
    'POST /app/installations/{id}/access_tokens': b.installations,
    'GET /repos/{owner}/{repo}/actions/runners': b.repos * b.minutes,
    'GET /orgs/{org}/actions/runners': b.installations * b.minutes,
  };
}

export async function runWorkerBurst(
  dynamo: Child<{ type: 'ready'; endpoint: string }>,
  opts: { repos?: number; perRepo?: number; installations?: number; concurrency?: number } = {},
): Promise<WorkerBurstResult> {
  const repos = opts.repos ?? 50;
  const perRepo = opts.perRepo ?? 10;
  const installations = opts.installations ?? 10;
  const concurrency = opts.concurrency ?? 8;
  const { privateKey, publicKey } = generateAppKeys();
  const gh = await startChild<{ type: 'ready'; url: string }>('standin.ts', {
    BENCH_REPOS: String(repos),
    BENCH_INSTALLATIONS: String(installations),
    BENCH_PUBLIC_KEY: publicKey,
  });
  const doc = createDocumentClient(localClientConfig(dynamo.ready.endpoint));
  const store: StoreContext = { doc, table: `burst${Date.now()}` };
  try {
    await ensureTable(doc, store.table);
    const meter = meterCapacity(doc);
    const log = sinkLogger();
    const worker = createWorker({
      store,
      log,
      publicUrl: 'https://ci.example.test',
      github: { appId: '4242', privateKey, baseUrl: gh.ready.url, log, writeIntervalMs: 0, retryBaseMs: 5 },
    });
    const { events } = await gh.ask<{ events: { event: string; payload: { repository: { full_name: string } } }[] }>({
      type: 'events',
      perRepo,
    });
    const messages: QueueMessage[] = events.map((e) => ({
      deliveryId: randomUUID(),
      event: e.event,
      payload: JSON.stringify(e.payload),
      receivedAt: new Date().toISOString(),
      groupId: e.payload.repository.full_name.toLowerCase(),
    }));
    await gh.ask({ type: 'reset' });
    meter.reset();
    const queue = createInProcessQueue({
      process: worker.process,
      log,
      concurrency,
      backoffMs: () => 5,
      isPermanent: (e) => e instanceof PoisonMessageError,
    });
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const m of messages) await queue.send(m);
    await queue.drain();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    queue.close();

    const { requests, violations } = await gh.ask<{ requests: Req[]; violations: number }>({ type: 'requests' });
    const byOp = new Map<string, number>();
    for (const r of requests) byOp.set(routeOf(r), (byOp.get(routeOf(r)) ?? 0) + 1);
    const least = leastRequests({ events: messages.length, repos, installations, minutes: Math.ceil(seconds / 60) });
    const githubByOperation = [...byOp]
      .sort((a, b) => b[1] - a[1])
      .map(([operation, total]) => {
        const expected = least[operation] ?? null;
        return { operation, total, perEvent: round(total / messages.length, 2), expected, extra: Math.max(0, total - (expected ?? 0)) };
      });
    const redundant = githubByOperation.reduce((sum, o) => sum + o.extra, 0);
    const totals: Record<string, number> = {};
    for (const c of meter.calls) totals[c.command] = (totals[c.command] ?? 0) + 1;
    const calls = Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, round(v / messages.length, 2)]));
    return {
      events: messages.length,
      repos,
      installations,
      concurrency,
      seconds: round(seconds, 2),
      eventsPerSec: round(messages.length / seconds, 1),
      workerCpuMsPerEvent: round((cpu.user + cpu.system) / 1000 / messages.length, 2),
      githubRequestsPerEvent: round(requests.length / messages.length, 2),
      githubByOperation,
      redundantRequestsPerEvent: round(redundant / messages.length, 3),
      tokenRequests: byOp.get('POST /app/installations/{id}/access_tokens') ?? 0,
      deadLetters: queue.deadLetters.length,
      violations,
      capacityPerEvent: { write: round(meter.write / messages.length, 2), read: round(meter.read / messages.length, 2), calls },
    };
  } finally {
    doc.destroy();
    await gh.close();
  }
}
