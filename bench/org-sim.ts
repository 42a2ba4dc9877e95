// 6. The organization simulation (issue 14): 100 repositories (10 installations of 10) × 50
// pushes an hour, time compressed, through the real webhook route, queue and worker against the
// GitHub stand-in (in this process) and dynalite (its own process). Pushes to main (each
// superseding the run before it when that is still going), pull-request updates, /arm64 status
// comments; every run is played as GitHub plays it (requested → job → completed, one job), with a
// smoke-test artifact: 5,000-test JUnit on 10 % of runs, a 6-test file on the rest. 1 % of
// workflow_run.completed deliveries fail, so the scheduled passes (redelivery, reconciler, every
// 5 simulated minutes) have real work. It measures GitHub requests per installation-hour (as
// GitHub counts them: 304s free), DynamoDB units per hour (table units as the store reports them
// with ReturnConsumedCapacity, index writes from the table's definition: ./lib/index-writes.ts),
// and the reconciler's backlog once the last runs have finished.
//
// It simulates a window of the hour at the full organization's rate (default 3 minutes: 250 pushes
// across the 100 repositories) and scales the counts to the hour: runtime stays within a
// couple of minutes. `--minutes=60` runs the whole hour (about ten times as long).
//
//   npx tsx bench/org-sim.ts [--minutes=3] [--repos=100] [--installations=10]
import './lib/env';
import { fakeSha, generateAppKeys, startGitHubStandIn, type SeedRepo, type WorkflowRunRecord } from '@arm64-ci/github-sim';
import { createGitHubClients } from '../src/github/client';
import { coordinatorWorkflow } from '../src/local/sandbox';
import { createInProcessQueue } from '../src/queue/in-process';
import { runPasses } from '../src/scheduled/passes';
import { createDocumentClient, ensureTable, localClientConfig, type StoreContext } from '../src/store/dynamo';
import { createApp } from '../src/wiring/app';
import { createWorker } from '../src/wiring/worker';
import { refreshFleet } from '../src/worker/fleet';
import { PoisonMessageError } from '../src/worker/process';
import { loadRepoConfig } from '../src/worker/repo-config';
import { smokeJUnit } from '../src/local/sandbox';
import { ASSUMPTIONS, costPer1000Pushes, monthlyCost, PRICES, type CostRow, type HourlyLoad } from './lib/aws-cost';
import { meterCapacity } from './lib/capacity';
import { sinkLogger } from './lib/contenders';
import { meterIndexWrites } from './lib/index-writes';
import { startDynamoChild, type Child } from './lib/processes';
import { round } from './lib/stats';

export interface OrgSimResult {
  repos: number;
  installations: number;
  pushesPerRepoHour: number;
  simulatedMinutes: number;
  /** Hourly figures are the window's counts × this. */
  scaleToHour: number;
  seconds: number;
  events: { pushes: number; pullRequests: number; comments: number; superseded: number; runs: number; bigRuns: number; droppedDeliveries: number; webhooks: number };
  github: {
    /** Rate-limited requests (installation tokens, 304s excluded) per installation-hour: the busiest installation and the mean. */
    perInstallationHourMax: number;
    perInstallationHourMean: number;
    perPush: number;
    /** One push on its own followed to its conclusion with smoke results and one job. */
    perPushLifecycle: number;
    notModifiedPerHour: number;
    appJwtRequestsPerHour: number;
    byOperation: { operation: string; perHour: number }[];
    violations: number;
  };
  dynamo: {
    readUnitsPerHour: number;
    writeUnitsPerHour: number;
    tableWriteUnitsPerHour: number;
    indexWriteUnitsPerHour: number;
    writeUnitsPerPush: number;
    readUnitsPerPush: number;
  };
  reconciler: { passes: number; backlogAtEnd: number; notCompletedAtEnd: number };
  lambda: { ingestInvocationsPerHour: number; workerMessagesPerHour: number; workerCpuMsPerMessage: number; scheduledInvocationsPerHour: number };
  deadLetters: number;
  /** Monthly AWS cost at this rate for 10, 100 and 1,000 repositories, and per 1,000 pushes (./lib/aws-cost.ts). */
  cost: { rows: CostRow[]; per1000Pushes: ReturnType<typeof costPer1000Pushes>; prices: typeof PRICES; assumptions: typeof ASSUMPTIONS };
}

const WEBHOOK_SECRET = 'org-sim-secret';
const CONFIG = `workflow: arm64-ci.yml
runner_labels: [self-hosted, arm64, dgx]
triggers:
  push: [main]
  pull_request: true
`;

/** A small deterministic PRNG (mulberry32): the same simulation every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** JUnit XML of `n` test cases over 50 modules, `failing` of them failing. */
function bigJUnit(n: number, failing: number): string {
  const cases: string[] = [];
  for (let i = 0; i < n; i++) {
    const mod = `tests.test_module_${i % 50}`;
    const name = `test_case_${i}`;
    cases.push(
      i < failing
        ? `<testcase classname="${mod}" name="${name}" file="tests/test_module_${i % 50}.py" line="${10 + (i % 400)}" time="0.01"><failure message="assert 1 == 2">AssertionError: assert 1 == 2</failure></testcase>`
        : `<testcase classname="${mod}" name="${name}" file="tests/test_module_${i % 50}.py" line="${10 + (i % 400)}" time="0.01"/>`,
    );
  }
  return `<?xml version="1.0" encoding="utf-8"?>\n<testsuites><testsuite name="pytest" tests="${n}" failures="${failing}">\n${cases.join('\n')}\n</testsuite></testsuites>\n`;
}

const routeOf = (method: string, path: string) =>
  `${method} ${path
    .replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{o}/{r}')
    .replace(/^\/orgs\/[^/]+/, '/orgs/{org}')
    .replace(/\/contents\/.*/, '/contents/{path}')
    .replace(/\/\d+(?=\/|$)/g, '/{id}')
    .replace(/\/collaborators\/[^/]+/, '/collaborators/{user}')}`;

const progress = (msg: string) => process.stderr.write(`[org-sim ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

export async function runOrgSim(
  dynamo: Child<{ type: 'ready'; endpoint: string }>,
  opts: { repos?: number; installations?: number; pushesPerRepoHour?: number; minutes?: number; bigShare?: number; bigTests?: number } = {},
): Promise<OrgSimResult> {
  const repos = opts.repos ?? 100;
  const installations = opts.installations ?? 10;
  const perHour = opts.pushesPerRepoHour ?? 50;
  const minutes = opts.minutes ?? 3;
  const bigShare = opts.bigShare ?? 0.1;
  const scale = 60 / minutes;
  const random = prng(14);
  const started = performance.now();

  let now = new Date('2026-12-01T09:00:00Z').getTime();
  const clock = () => new Date(now);
  const { privateKey, publicKey } = generateAppKeys();
  const seeds: SeedRepo[] = Array.from({ length: repos }, (_, i) => ({
    owner: `org-${i % installations}`,
    name: `repo-${i}`,
    installationId: 500 + (i % installations),
    defaultBranch: 'main',
    files: { '.github/arm64-ci.yml': CONFIG },
    workflows: [coordinatorWorkflow()],
    collaborators: { maintainer: 'write' },
    pulls: [1, 2, 3].map((n) => ({ number: n, headSha: fakeSha(`repo-${i}:pr${n}:0`), headRef: `feature-${n}`, user: 'maintainer', title: `Feature ${n}` })),
    runners: [{ name: `dgx-${i}`, labels: ['self-hosted', 'arm64', 'dgx'], status: 'online' }],
  }));
  // Tokens outlive the compressed hour (the stand-in's clock runs fast; auth-app caches by the real one).
  const gh = await startGitHubStandIn({ app: { id: 4242, publicKeyPem: publicKey }, repos: seeds, webhook: { secret: WEBHOOK_SECRET }, now: clock, tokenTtlMs: 4 * 3_600_000 });

  const doc = createDocumentClient(localClientConfig(dynamo.ready.endpoint));
  const store: StoreContext = { doc, table: `org${Date.now()}` };
  await ensureTable(doc, store.table);
  const capacity = meterCapacity(doc);
  const indexes = meterIndexWrites(doc);
  const log = sinkLogger();
  const github = { appId: '4242', privateKey, baseUrl: gh.url, log, writeIntervalMs: 0, retryBaseMs: 5 };
  const worker = createWorker({ store, log, publicUrl: 'https://ci.example.test', now: clock, github });
  let workerMessages = 0;
  let workerCpuUs = 0;
  const queue = createInProcessQueue({
    process: async (m) => {
      workerMessages += 1;
      const c0 = process.cpuUsage();
      try {
        await worker.process(m);
      } finally {
        const c = process.cpuUsage(c0);
        workerCpuUs += c.user + c.system;
      }
    },
    log,
    concurrency: 8,
    backoffMs: () => 5,
    isPermanent: (e) => e instanceof PoisonMessageError,
  });
  const app = createApp({ store, queue, log, webhookSecret: WEBHOOK_SECRET, badgeSecret: 'badge', publicUrl: 'https://ci.example.test', now: clock });
  let webhooks = 0;
  let dropped = 0;
  // 1 % of workflow_run.completed deliveries fail (GitHub records a failure; the redelivery pass retries it).
  gh.webhookTarget = async (req: Request) => {
    webhooks += 1;
    if (req.headers.get('x-github-event') === 'workflow_run') {
      const body = await req.clone().text();
      if (body.includes('"action":"completed"') && random() < 0.01) {
        dropped += 1;
        return new Response('{"message":"unavailable"}', { status: 503 });
      }
    }
    return app.fetch(req);
  };
  const scheduled = { store, github: createGitHubClients(github), log, now: clock };

  const big = bigJUnit(opts.bigTests ?? 5_000, 10);
  const small = smokeJUnit('3.11');
  const settle = async () => {
    for (;;) {
      await gh.settled();
      await queue.drain();
      if (gh.pendingWork === 0 && queue.busy().queued + queue.busy().inFlight + queue.busy().retrying === 0) return;
    }
  };

  // Each repository's pushes, spread over the hour with a random phase; 70 % to main, 30 % to a pull request.
  const interval = 60 / perHour;
  const phase = seeds.map(() => random() * interval);
  const heads = new Map<string, string>(seeds.map((s) => [`${s.owner}/${s.name}`, fakeSha(`${s.owner}/${s.name}:initial`)]));
  let pushes = 0;
  let pullRequests = 0;
  let comments = 0;
  let bigRuns = 0;
  let passes = 0;
  const runSteps = new Map<number, { at: number; step: 'start' | 'finish' }>();
  let seenDispatches = 0;

  const events = async (minute: number) => {
    for (const [i, s] of seeds.entries()) {
      const full = `${s.owner}/${s.name}`;
      for (let t = phase[i]!; t < 60; t += interval) {
        if (t < minute || t >= minute + 1) continue;
        pushes += 1;
        if (random() < 0.7) {
          const after = fakeSha(`${full}:main:${pushes}`);
          const before = heads.get(full)!;
          gh.setBranch(s.owner, s.name, 'main', after);
          heads.set(full, after);
          await gh.deliver(gh.events.pushEvent(full, { ref: 'main', before, after }));
        } else {
          pullRequests += 1;
          const pr = gh.repo(s.owner, s.name).pulls[Math.floor(random() * 3)]!;
          const before = pr.headSha;
          pr.headSha = fakeSha(`${full}:pr${pr.number}:${pushes}`);
          gh.setBranch(s.owner, s.name, pr.headRef ?? `feature-${pr.number}`, pr.headSha);
          await gh.deliver(gh.events.pullRequestEvent(full, 'synchronize', pr, { before }));
        }
      }
      // About 5 comments per repository-hour.
      if (random() < 5 / 60) {
        comments += 1;
        await gh.deliver(gh.events.issueCommentEvent(full, { pr: 1 + Math.floor(random() * 3), body: '/arm64 status', user: 'maintainer', authorAssociation: 'MEMBER' }));
      }
    }
  };

  /**
   * New dispatches get their run played: GitHub reports it requested within seconds, a runner picks
   * the job up a minute later, and it finishes three minutes after that.
   */
  const schedule = async (minute: number) => {
    for (const d of gh.dispatches.slice(seenDispatches)) {
      runSteps.set(d.runId, { at: minute + 1, step: 'start' });
      await gh.requestRun(d.runId);
    }
    seenDispatches = gh.dispatches.length;
  };
  const play = async (minute: number) => {
    for (const [runId, s] of [...runSteps]) {
      if (s.at > minute) continue;
      const run = gh.state.run(runId) as WorkflowRunRecord | undefined;
      if (!run || run.status === 'completed') {
        runSteps.delete(runId); // cancelled (superseded) meanwhile
        continue;
      }
      if (s.step === 'start') {
        const job = await gh.queueJob(runId, { name: 'test (3.11)' });
        await gh.startRun(runId);
        await gh.startJob(job.id);
        runSteps.set(runId, { at: minute + 3, step: 'finish' });
      } else {
        for (const job of run.jobs) if (job.status !== 'completed') await gh.completeJob(job.id, 'success');
        const isBig = random() < bigShare;
        if (isBig) bigRuns += 1;
        gh.addArtifact(runId, { name: 'smoke-test-results', files: { 'results/junit.xml': isBig ? big : small } });
        await gh.completeRun(runId, 'success');
        runSteps.delete(runId);
      }
    }
  };

  // Steady state: a worker container that has run for a while has each repository's config and
  // runner pools (and its installation's token) cached. A cold container pays one full read of
  // each, once (3 requests per repository); the window is measured warm.
  for (const s of seeds) {
    const client = await worker.deps.github.forInstallation(s.installationId);
    await loadRepoConfig(client, { owner: s.owner, name: s.name, fullName: `${s.owner}/${s.name}`, private: false, defaultBranch: 'main', installationId: s.installationId });
    await refreshFleet(worker.deps, client, `${s.owner}/${s.name}`);
  }
  capacity.reset();
  indexes.reset();
  const t0Requests = gh.requests.length;
  // The window, then the runs still going are played out (no new pushes) and the passes catch up.
  let minute = 0;
  for (; minute < minutes || runSteps.size > 0; minute++) {
    if (minute < minutes) await events(minute);
    await settle();
    await schedule(minute);
    await play(minute);
    await settle();
    await schedule(minute);
    await settle();
    progress(`minute ${minute + 1}: ${pushes} pushes, ${gh.dispatches.length} runs, ${runSteps.size} still going, ${workerMessages} worker messages`);
    if (minute % 5 === 4) {
      await runPasses(scheduled);
      passes += 1;
      await settle();
    }
    now += 60_000;
  }
  // One more push on its own, followed to its conclusion with smoke results and one job: the
  // requests of a single push lifecycle (issue 14 target: ≤ 6), in the warm state of the window.
  now += 5 * 60_000;
  const lone = seeds[0]!;
  const loneFull = `${lone.owner}/${lone.name}`;
  const loneFrom = gh.requests.length;
  {
    const after = fakeSha(`${loneFull}:lone`);
    const before = heads.get(loneFull)!;
    gh.setBranch(lone.owner, lone.name, 'main', after);
    await gh.deliver(gh.events.pushEvent(loneFull, { ref: 'main', before, after }));
    await settle();
    const runId = gh.dispatches.at(-1)!.runId;
    seenDispatches = gh.dispatches.length;
    await gh.requestRun(runId);
    const job = await gh.queueJob(runId, { name: 'test (3.11)' });
    await gh.startRun(runId);
    await gh.startJob(job.id);
    await gh.completeJob(job.id, 'success');
    gh.addArtifact(runId, { name: 'smoke-test-results', files: { 'results/junit.xml': small } });
    await gh.completeRun(runId, 'success');
    await settle();
  }
  const lonePush = gh.requests.slice(loneFrom).filter((r) => r.rateLimited).length;
  // Last pass after everything finished: what it cannot close is the backlog.
  now += 10 * 60_000;
  for (let k = 0; k < 2; k++) {
    await runPasses(scheduled);
    passes += 1;
    await settle();
  }
  await queue.close();

  // Dispatches not completed though every GitHub run has finished: the reconciler's backlog.
  const dispatchItems: { state: string; workflowRunId: number | null }[] = [];
  let start: Record<string, unknown> | undefined;
  const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
  do {
    const r = await doc.send(new ScanCommand({ TableName: store.table, FilterExpression: '#t = :d', ExpressionAttributeNames: { '#t': 'type' }, ExpressionAttributeValues: { ':d': 'dispatch' }, ExclusiveStartKey: start, ReturnConsumedCapacity: 'NONE' }));
    dispatchItems.push(...((r.Items ?? []) as typeof dispatchItems));
    start = r.LastEvaluatedKey;
  } while (start);
  const notCompleted = dispatchItems.filter((d) => d.state !== 'completed' && d.state !== 'awaiting_approval');
  const backlog = notCompleted.filter((d) => !d.workflowRunId || gh.state.run(d.workflowRunId)?.status === 'completed' || !gh.state.run(d.workflowRunId));

  const reqs = gh.requests.slice(t0Requests, loneFrom);
  const counted = reqs.filter((r) => r.rateLimited);
  const perInstallation = new Map<number, number>();
  for (const r of counted) perInstallation.set(r.installationId!, (perInstallation.get(r.installationId!) ?? 0) + 1);
  const byOp = new Map<string, number>();
  for (const r of counted) byOp.set(routeOf(r.method, r.path), (byOp.get(routeOf(r.method, r.path)) ?? 0) + 1);
  const totalPushes = pushes;
  const tableWrite = capacity.write;
  const result: OrgSimResult = {
    repos,
    installations,
    pushesPerRepoHour: perHour,
    simulatedMinutes: minutes,
    scaleToHour: scale,
    seconds: round((performance.now() - started) / 1000, 1),
    events: {
      pushes: totalPushes,
      pullRequests,
      comments,
      superseded: gh.cancelled.length,
      runs: gh.dispatches.length,
      bigRuns,
      droppedDeliveries: dropped,
      webhooks,
    },
    github: {
      perInstallationHourMax: Math.round(Math.max(0, ...perInstallation.values()) * scale),
      perInstallationHourMean: Math.round((counted.length / installations) * scale),
      perPush: round(counted.length / totalPushes, 2),
      perPushLifecycle: lonePush,
      notModifiedPerHour: Math.round(reqs.filter((r) => r.status === 304).length * scale),
      appJwtRequestsPerHour: Math.round(reqs.filter((r) => r.path.startsWith('/app')).length * scale),
      byOperation: [...byOp].sort((a, b) => b[1] - a[1]).map(([operation, n]) => ({ operation, perHour: Math.round(n * scale) })),
      violations: gh.violations.length + gh.unimplemented.length,
    },
    dynamo: {
      readUnitsPerHour: Math.round(capacity.read * scale),
      writeUnitsPerHour: Math.round((tableWrite + indexes.write) * scale),
      tableWriteUnitsPerHour: Math.round(tableWrite * scale),
      indexWriteUnitsPerHour: Math.round(indexes.write * scale),
      writeUnitsPerPush: round((tableWrite + indexes.write) / totalPushes, 1),
      readUnitsPerPush: round(capacity.read / totalPushes, 1),
    },
    reconciler: { passes, backlogAtEnd: backlog.length, notCompletedAtEnd: notCompleted.length },
    lambda: {
      ingestInvocationsPerHour: Math.round(webhooks * scale),
      workerMessagesPerHour: Math.round(workerMessages * scale),
      workerCpuMsPerMessage: round(workerCpuUs / 1000 / Math.max(workerMessages, 1), 1),
      scheduledInvocationsPerHour: 12,
    },
    deadLetters: queue.deadLetters.length,
    cost: { rows: [], per1000Pushes: { lambda: 0, dynamo: 0, sqs: 0, total: 0 }, prices: PRICES, assumptions: ASSUMPTIONS },
  };
  const perRepoHour: HourlyLoad = {
    pushes: (totalPushes * scale) / repos,
    webhooks: (webhooks * scale) / repos,
    workerMessages: (workerMessages * scale) / repos,
    readUnits: (capacity.read * scale) / repos,
    writeUnits: ((tableWrite + indexes.write) * scale) / repos,
  };
  result.cost.rows = [10, 100, 1000].map((n) => monthlyCost(perRepoHour, n));
  result.cost.per1000Pushes = costPer1000Pushes(perRepoHour);
  doc.destroy();
  await gh.close();
  return result;
}

export function orgSimTargets(r: OrgSimResult) {
  return [
    {
      metric: 'GitHub requests per push lifecycle (smoke results, one job)',
      value: r.github.perPushLifecycle,
      target: '≤ 6',
      met: r.github.perPushLifecycle <= 6,
      note: 'create, dispatch, in progress, artifacts, zip, conclusion; config and runners 304',
    },
    {
      metric: 'org sim: GitHub requests per installation-hour (busiest)',
      value: r.github.perInstallationHourMax,
      target: '< 5,000',
      met: r.github.perInstallationHourMax < 5_000 && r.github.violations === 0,
      note: `${r.github.perPush} per push; ${r.repos} repos in ${r.installations} installations`,
    },
    {
      metric: 'org sim: reconciler backlog at the end',
      value: r.reconciler.backlogAtEnd,
      target: '0',
      met: r.reconciler.backlogAtEnd === 0 && r.deadLetters === 0,
      note: `${r.events.droppedDeliveries} completions lost and recovered; ${r.reconciler.passes} passes`,
    },
  ];
}

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export function orgSimReport(r: OrgSimResult): string {
  const e = r.events;
  const lines = [
    `\n6. Organization simulation: ${r.repos} repositories (${r.installations} installations) × ${r.pushesPerRepoHour} pushes an hour; ${r.simulatedMinutes} simulated minutes at the full rate, hourly figures × ${fmt(r.scaleToHour, 1)}; ${fmt(r.seconds, 1)} s`,
    `window: ${fmt(e.pushes)} pushes (${fmt(e.pullRequests)} pull-request updates), ${fmt(e.comments)} comments, ${fmt(e.runs)} runs (${fmt(e.bigRuns)} with 5,000 tests), ${fmt(e.superseded)} superseded, ${fmt(e.droppedDeliveries)} lost completions, ${fmt(e.webhooks)} webhooks`,
    '',
    'per hour                                         value',
    '-----------------------------------------------  ----------',
    `GitHub requests per installation-hour (busiest)   ${fmt(r.github.perInstallationHourMax)}`,
    `GitHub requests per installation-hour (mean)      ${fmt(r.github.perInstallationHourMean)}`,
    `GitHub requests per push (whole mix)              ${fmt(r.github.perPush, 2)}`,
    `GitHub requests of one push lifecycle             ${fmt(r.github.perPushLifecycle)}`,
    `conditional reads answered 304 (free)             ${fmt(r.github.notModifiedPerHour)}`,
    `App (JWT) requests: tokens, delivery log          ${fmt(r.github.appJwtRequestsPerHour)}`,
    `DynamoDB read units                               ${fmt(r.dynamo.readUnitsPerHour)}`,
    `DynamoDB write units (table + indexes)            ${fmt(r.dynamo.writeUnitsPerHour)} (${fmt(r.dynamo.tableWriteUnitsPerHour)} + ${fmt(r.dynamo.indexWriteUnitsPerHour)})`,
    `DynamoDB units per push (read / write)            ${fmt(r.dynamo.readUnitsPerPush, 1)} / ${fmt(r.dynamo.writeUnitsPerPush, 1)}`,
    `webhooks (ingest invocations)                     ${fmt(r.lambda.ingestInvocationsPerHour)}`,
    `worker messages                                   ${fmt(r.lambda.workerMessagesPerHour)} (${fmt(r.lambda.workerCpuMsPerMessage, 1)} ms CPU each here)`,
    `reconciler backlog at the end                     ${fmt(r.reconciler.backlogAtEnd)} (${r.reconciler.notCompletedAtEnd} not completed)`,
    '',
    'GitHub requests per hour by operation: ' + r.github.byOperation.map((o) => `${o.operation} ${fmt(o.perHour)}`).join(' · '),
  ];
  const c = r.cost.per1000Pushes;
  lines.push(
    '',
    `Monthly AWS cost at ${r.pushesPerRepoHour} pushes per repository-hour for ${r.cost.assumptions.busyHoursPerMonth} busy hours a month (prices ${r.cost.prices.date}):`,
    ...[
      ['repositories', 'pushes/month', 'Lambda', 'DynamoDB', 'SQS', 'Secrets', 'total USD'],
      ...r.cost.rows.map((x) => [fmt(x.repos), fmt(x.pushesPerMonth), fmt(x.lambda, 2), fmt(x.dynamo, 2), fmt(x.sqs, 2), fmt(x.secrets, 2), fmt(x.total, 2)]),
    ].map((row) => row.map((c, i) => (i === 0 ? c.padEnd(12) : c.padStart(i === 1 ? 12 : 9))).join('  ')),
    `per 1,000 pushes: $${c.total} (Lambda ${c.lambda}, DynamoDB ${c.dynamo}, SQS ${c.sqs})`,
    '',
  );
  for (const t of orgSimTargets(r)) lines.push(`${t.met ? 'met    ' : 'NOT MET'}  ${t.metric}: ${fmt(t.value)} (target ${t.target}; ${t.note})`);
  return lines.join('\n');
}

// Run alone: `npx tsx bench/org-sim.ts [--minutes=N] [--repos=N] [--installations=N]`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const a = process.argv.find((x) => x.startsWith(`--${name}=`));
    return a ? Number(a.slice(name.length + 3)) : undefined;
  };
  const dynamo = await startDynamoChild();
  try {
    const r = await runOrgSim(dynamo, { minutes: arg('minutes'), repos: arg('repos'), installations: arg('installations') });
    process.stdout.write(orgSimReport(r) + '\n');
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  } finally {
    await dynamo.close();
  }
  process.exit(0);
}
