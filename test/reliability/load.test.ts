import { createAdaptorServer, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WebhookEvent } from '@arm64-ci/github-sim';
import { figures, seedRepo, startRig, type Rig } from '../support/rig';

// A full collection before each heap reading, so the figure is what is retained, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMiB = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

const REPOS = 3;
let r: Rig;
let server: ServerType;
let url: string;
/** Requests the server is still working on (GitHub may have given up on them already). */
let open = 0;
beforeAll(async () => {
  r = await startRig({ repos: Array.from({ length: REPOS }, (_, i) => seedRepo({ name: `svc-${i}` })), logLevel: 'warn' });
  // The app over real HTTP, as the local server runs it — with a listen backlog that holds a
  // burst of 1,000 connections (Node's default, 511, makes the rest retry their SYN a second or
  // more later, which alone costs seconds of GitHub's 10).
  server = createAdaptorServer({
    fetch: async (req: Request) => {
      open++;
      try {
        return await r.app.fetch(req);
      } finally {
        open--;
      }
    },
  });
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 2048 }, () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  r.gh.webhookTarget = url;
});
afterAll(async () => {
  await new Promise<void>((res) => {
    server.close(() => res());
    (server as unknown as { closeAllConnections(): void }).closeAllConnections();
  });
  await r.close();
});

const sha = (n: number) => n.toString(16).padStart(40, '0');

it('takes 1,000 concurrent deliveries over HTTP: each accounted for, each dispatch once, nothing lost', async () => {
  const repo = (i: number) => r.gh.repo('octo-org', `svc-${i % REPOS}`);
  const pushes: WebhookEvent[] = Array.from({ length: 80 }, (_, i) => r.gh.events.pushEvent(repo(i), { ref: 'refs/heads/main', after: sha(i + 1) }));
  const pulls: WebhookEvent[] = Array.from({ length: 20 }, (_, i) =>
    r.gh.events.pullRequestEvent(repo(i), 'opened', { number: 1000 + i, headSha: sha(5000 + i), headRef: `feature/${i}` }),
  );
  // Runs of other workflows in the same repositories: GitHub sends their events to the App too.
  const foreign: WebhookEvent[] = Array.from({ length: 400 }, (_, i) => {
    const { repository, installation, sender } = r.gh.events.pushEvent(repo(i), { ref: 'refs/heads/main', after: sha(9000 + i) }).payload as Record<string, unknown>;
    const base = { repository, installation, sender };
    const run = { id: 800_000 + i, name: 'lint', event: 'push', head_sha: sha(9000 + i), display_title: 'lint', run_attempt: 1, html_url: 'https://github.com/x' };
    return i % 2 === 0
      ? { event: 'workflow_run', payload: { ...base, action: 'completed', workflow_run: { ...run, status: 'completed', conclusion: 'success' } } }
      : {
          event: 'workflow_job',
          payload: {
            ...base,
            action: 'queued',
            workflow_job: { id: 900_000 + i, run_id: run.id, run_attempt: 1, name: 'lint', status: 'queued', conclusion: null, labels: ['ubuntu-latest'], runner_name: null },
          },
        };
  });
  const ignored: WebhookEvent[] = Array.from({ length: 250 }, (_, i) =>
    i % 2 === 0
      ? { event: 'star', payload: { action: 'created', starred_at: null } }
      : r.gh.events.pullRequestEvent(repo(i), 'labeled', { number: 3000 + i, headSha: sha(7000 + i), headRef: 'x' }),
  );
  const distinct = [...pushes, ...pulls, ...foreign, ...ignored].map((ev) => ({ ev, guid: crypto.randomUUID() }));
  const handled = new Set(distinct.filter((d) => !ignored.includes(d.ev)).map((d) => d.guid));
  // 250 deliveries repeat the guid of another, sent at the same moment as the original.
  const duplicates = distinct.slice(0, 250).map((d) => ({ ...d }));
  const all = [...distinct, ...duplicates].sort(() => Math.random() - 0.5);
  expect(all).toHaveLength(1000);

  const heapBefore = heapMiB();
  const started = performance.now();
  const answers = await Promise.all(
    all.map(async ({ ev, guid }) => {
      const t = performance.now();
      const res = await r.gh.deliver({ ...ev, deliveryId: guid });
      return { guid, status: res.status, body: JSON.parse(res.body || '{}') as { status?: string }, ms: performance.now() - t };
    }),
  );
  const answeredIn = performance.now() - started;
  // The server finishes what GitHub stopped waiting for: let it, before counting.
  while (open > 0) await new Promise((res) => setTimeout(res, 20));
  await r.settle();

  // One process plays GitHub, DynamoDB, the endpoint and the worker here, so some answers miss
  // GitHub's 10 s (status 0) or meet a busy store (503). GitHub logs those as failed; the
  // scheduled redelivery pass is what brings them in — it runs until nothing is left.
  const passes: { redelivered: number; accepted: number }[] = [];
  for (let i = 0; i < 10; i++) {
    const pass = await r.redeliver({ maxRedeliveries: 1_000, maxPages: 30 });
    await r.settle();
    passes.push({ redelivered: pass.redelivered.length, accepted: pass.accepted });
    if (pass.complete && pass.redelivered.length === 0) break;
  }
  const drainedIn = performance.now() - started;
  const heapAfter = heapMiB();

  const count = (s: string) => answers.filter((a) => a.body.status === s).length;
  const tally = {
    accepted: count('accepted'),
    duplicate: count('duplicate'),
    ignored: count('ignored'),
    unavailable503: answers.filter((a) => a.status === 503).length,
    timedOut: answers.filter((a) => a.status === 0).length,
  };
  // Every delivery is one of these, and nothing else (no 4xx, no 500).
  expect(Object.values(tally).reduce((a, b) => a + b, 0)).toBe(all.length);
  // An event we do not act on is answered `ignored`, or not in time; never anything else.
  const ignoredGuids = new Set(distinct.filter((d) => ignored.includes(d.ev)).map((d) => d.guid));
  expect(answers.filter((a) => ignoredGuids.has(a.guid) && a.status !== 0 && a.body.status !== 'ignored')).toEqual([]);
  // Each guid accepted at most once, whichever of its copies came first.
  const acceptedGuids = answers.filter((a) => a.body.status === 'accepted').map((a) => a.guid);
  expect(new Set(acceptedGuids).size).toBe(acceptedGuids.length);

  // In the end every guid we act on was taken in exactly once …
  const stored = (await r.items()).filter((i) => i.sk === 'DELIVERY').map((i) => String(i.pk).slice('DELIVERY#'.length));
  expect(new Set(stored)).toEqual(handled);
  expect(r.queue.processed).toBe(handled.size);
  // … and every push and pull request dispatched exactly once.
  const dispatched = r.gh.dispatches.map((d) => `${d.repo}@${d.inputs.sha}`);
  expect(dispatched).toHaveLength(pushes.length + pulls.length);
  expect(new Set(dispatched).size).toBe(dispatched.length);
  expect(r.queue.deadLetters).toEqual([]);
  expect(r.gh.violations).toEqual([]);
  // Generous: the stand-in's request and delivery logs and the in-process DynamoDB (every item of
  // the run) live in this heap too. A leak of one payload per delivery would add several hundred MiB.
  const growth = heapAfter - heapBefore;
  expect(growth).toBeLessThan(150);

  const sorted = answers.map((a) => a.ms).sort((a, b) => a - b);
  figures('load', {
    deliveries: all.length,
    ...tally,
    redeliveryPasses: passes.length,
    redelivered: passes.reduce((n, p) => n + p.redelivered, 0),
    distinctHandled: handled.size,
    takenInOnce: new Set(stored).size,
    dispatches: dispatched.length,
    dispatchedTwice: dispatched.length - new Set(dispatched).size,
    deadLetters: r.queue.deadLetters.length,
    lost: handled.size - new Set(stored).size,
    answeredInMs: Math.round(answeredIn),
    p50Ms: Math.round(sorted[Math.floor(sorted.length * 0.5)]!),
    p99Ms: Math.round(sorted[Math.floor(sorted.length * 0.99)]!),
    drainedInMs: Math.round(drainedIn),
    heapGrowthMiB: Math.round(growth),
  });
}, 120_000);
