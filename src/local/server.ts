import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '../log';
import { createInProcessQueue, type InProcessQueue } from '../queue/in-process';
import { createGitHubClients } from '../github/client';
import { schedulePasses, type Schedule } from '../scheduled/passes';
import { createApp } from '../wiring/app';
import { createWorker } from '../wiring/worker';
import { loadSettings, SettingsError, type Settings } from '../settings';
import { createDocumentClient, ensureTable, localClientConfig, type StoreContext } from '../store/dynamo';
import { PoisonMessageError } from '../worker/process';
import { useMetrics } from '../metrics/metrics';
import { startArtifactThread } from './artifact-thread';
import { prometheusMetrics } from './prometheus';
import { startDynalite, type EmbeddedDynamo } from './dynalite';
import { lockDataDir } from './data-dir-lock';
import { generateAppKeys, randomSha, startGitHubStandIn, type GitHubStandIn } from '@arm64-ci/github-sim';
import { DEMO_REPO, sandboxStandInOptions } from './sandbox';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { envOfApp, writeEnvValues } from './register/env-file';
import { hostFromApiUrl } from './register/hosts';
import { registrationRoutes } from './register/routes';
import { forwardWebhooks, type Forwarder } from './smee';
import { createJournal } from './journal';

export interface LocalServer {
  url: string;
  settings: Settings;
  store: StoreContext;
  queue: InProcessQueue;
  standIn: GitHubStandIn | null;
  /** The scheduled passes (redelivery, …) as the Lambda runs them; `schedule.runNow()` runs one tick. */
  schedule: Schedule;
  /** WEBHOOK_PROXY_URL's forwarder, when set. */
  proxy: Forwarder | null;
  close(): Promise<void>;
}

/** The values registration writes to .env, and restarts the server with. */
export type RegisteredEnv = Record<string, string>;

export interface LocalOptions {
  env?: Record<string, string | undefined>;
  log?: Logger;
  /** Keep the embedded DynamoDB in memory instead of DATA_DIR (tests, throwaway demos). */
  inMemory?: boolean;
  /** Delay between the sandbox's simulated workflow steps. */
  playDelayMs?: number;
  /**
   * Interval of the scheduled passes (redelivery of failed webhooks). Default 60 s; in-memory
   * runs (tests) leave the timer off unless they ask, and can still call `schedule.runNow()`.
   */
  scheduleEveryMs?: number;
  /** Tests: the artifact thread's gate (ArtifactThreadOptions.gate), to catch a parse under way. */
  artifactGate?: SharedArrayBuffer;
  /** Where registration writes the App's credentials. Default `.env` in the working directory. */
  envFile?: string;
  /** smee.io's new-channel URL (tests: a local event stream server). */
  newChannelUrl?: string;
  /** Called once the App is registered and .env written: the supervisor restarts in GitHub mode. */
  onRegistered?: (values: RegisteredEnv) => void;
}

const APP_YML = fileURLToPath(new URL('../../app.yml', import.meta.url));


/**
 * `npm start`: the same Hono app and worker as on Lambda, on embedded DynamoDB, with the queue
 * in-process. Without APP_ID a GitHub stand-in plays GitHub (sandbox mode).
 */
export async function startLocal(opts: LocalOptions = {}): Promise<LocalServer> {
  const settings = loadSettings(opts.env ?? process.env);
  const log = opts.log ?? createLogger({ level: settings.logLevel, base: { service: 'arm64-ci' } });
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  try {
    return await start(opts, settings, log, closers, closeAll);
  } catch (err) {
    // Whatever started before the failure (the data directory's lock, dynalite, the stand-in) stops.
    await closeAll();
    throw err;
  }
}

async function start(
  opts: LocalOptions,
  settings: Settings,
  log: Logger,
  closers: (() => Promise<void>)[],
  closeAll: () => Promise<void>,
): Promise<LocalServer> {

  let dynamo: EmbeddedDynamo | null = null;
  let endpoint = settings.dynamodbEndpoint;
  if (!endpoint) {
    // One server per data directory: a second one would find the database locked and fail later
    // with "Database is closed".
    if (!opts.inMemory) closers.push(await lockDataDir(settings.dataDir, log));
    dynamo = await startDynalite(opts.inMemory ? {} : { path: settings.dataDir });
    endpoint = dynamo.endpoint;
    closers.push(() => dynamo!.close());
  }
  const doc = createDocumentClient(localClientConfig(endpoint));
  closers.push(async () => doc.destroy());
  const store: StoreContext = { doc, table: settings.tableName };
  await ensureTable(doc, settings.tableName);

  let standIn: GitHubStandIn | null = null;
  let github = { appId: settings.appId ?? '', privateKey: settings.privateKey ?? '', baseUrl: settings.githubApiUrl };
  if (settings.mode === 'sandbox') {
    const keys = generateAppKeys();
    standIn = await startGitHubStandIn(sandboxStandInOptions(keys.publicKey, settings.webhookSecret, opts.playDelayMs));
    closers.push(() => standIn!.close());
    github = { appId: '1', privateKey: keys.privateKey, baseUrl: standIn.url };
  }

  const githubOpts = { ...github, log, rateLimitReserve: settings.githubRateLimitReserve, writeIntervalMs: settings.mode === 'sandbox' ? 0 : 1000, retryBaseMs: settings.mode === 'sandbox' ? 50 : 1000 };
  // Smoke artifacts are parsed off the main thread: here the worker shares it with webhook intake.
  const artifacts = startArtifactThread(opts.artifactGate ? { gate: opts.artifactGate } : {});
  closers.push(() => artifacts.close());
  // What the worker did per delivery, for `npm run replay` (GET /_local/deliveries/:id).
  const journal = createJournal();
  const workerLog = journal.logger(log);
  const worker = createWorker({
    store,
    log: workerLog,
    publicUrl: settings.publicUrl,
    github: githubOpts,
    parseSmokeArtifact: artifacts.parse,
  });
  const queue = createInProcessQueue({ process: worker.process, log: workerLog, isPermanent: (e) => e instanceof PoisonMessageError });
  closers.push(() => queue.close());

  // Its own App client, as the scheduled Lambda has: the passes list deliveries with the App's JWT.
  const schedule = schedulePasses(
    {
      store,
      log: log.child({ component: 'scheduled' }),
      now: () => new Date(),
      github: createGitHubClients(githubOpts),
      parseSmokeArtifact: artifacts.parse,
      // Read at each tick: an ephemeral port's URL is only known once listening (below).
      get publicUrl() {
        return settings.publicUrl;
      },
    },
    opts.scheduleEveryMs ?? (opts.inMemory ? 0 : 60_000),
  );
  closers.push(() => schedule.stop());

  const fixedWebhookUrl = settings.webhookProxyUrl ?? (settings.publicUrlSet ? `${settings.publicUrl}/api/github/webhooks` : null);
  const registerHost = hostFromApiUrl(settings.githubApiUrl);
  const app = createApp({
    store,
    queue,
    log,
    webhookSecret: settings.webhookSecret,
    badgeSecret: settings.badgeSecret,
    cursorSecret: settings.cursorSecret,
    publicUrl: settings.publicUrl,
    sandbox: settings.mode === 'sandbox',
    setup: settings.mode === 'sandbox' ? { web: registerHost.web, needsChannel: !fixedWebhookUrl } : null,
  });
  const root = new Hono();
  // Requests being answered: closing waits for them, so none writes to a store already closed.
  const answering = new Set<Promise<unknown>>();
  root.use(async (_c, next) => {
    const p = next();
    answering.add(p);
    try {
      await p;
    } finally {
      answering.delete(p);
    }
  });
  // The numbers the functions send to CloudWatch, for a local Prometheus (or a curl) to read.
  const prom = prometheusMetrics();
  useMetrics(prom.sink);
  closers.push(async () => useMetrics(null));
  root.get('/metrics', async (c) => c.body(await prom.registry.metrics(), 200, { 'content-type': prom.registry.contentType }));
  if (standIn) root.route('/_sandbox', sandboxRoutes(standIn));
  // Local only (never on Lambda), for `npm run replay`: what the worker did with a delivery.
  root.get('/_local/deliveries/:id', (c) => {
    const entry = journal.get(c.req.param('id'));
    return entry ? c.json(entry) : c.json({ error: 'no such delivery seen by this server' }, 404);
  });
  if (settings.mode === 'sandbox') {
    // No App yet: /setup registers one (the manifest flow), writes .env and asks for a restart.
    const envFile = opts.envFile ?? '.env';
    root.route(
      '/setup',
      registrationRoutes({
        host: registerHost,
        appYml: readFileSync(APP_YML, 'utf8'),
        webhookUrl: fixedWebhookUrl,
        homepage: settings.publicUrlSet ? settings.publicUrl : null,
        ...(opts.newChannelUrl ? { newChannelUrl: opts.newChannelUrl } : {}),
        log,
        save: async (registered, extra) => {
          const values = envOfApp(registered, extra.webhookProxyUrl ?? settings.webhookProxyUrl);
          writeEnvValues(envFile, values);
          // After this answer is sent: the restart closes this server.
          setTimeout(() => opts.onRegistered?.(values), 200);
          return `Its id, private key, webhook secret and client secret are in ${envFile} (readable by you only; never commit it). This server now restarts in GitHub mode.`;
        },
      }),
    );
  }
  root.route('/', app);

  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: root.fetch, port: settings.port, hostname: settings.host }, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new SettingsError(`PORT ${settings.port} is already in use on ${settings.host}: stop what listens there, or set PORT to a free port (PORT=0 picks one)`)
          : err,
      ),
    );
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${settings.host}:${port}`;
  closers.push(
    () =>
      new Promise<void>((r) => {
        server.close(() => r());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }).then(() => Promise.allSettled([...answering])).then(() => {}),
  );
  if (standIn) standIn.webhookTarget = `${url}/api/github/webhooks`;
  if (settings.port === 0 && !(opts.env ?? process.env).PUBLIC_URL) {
    // An ephemeral port is only known now: links in check runs must point at it.
    settings.publicUrl = url;
    worker.deps.publicUrl = url;
  }
  let proxy: Forwarder | null = null;
  // Only with a real App: the sandbox's deliveries come from its stand-in, signed with its own secret.
  if (settings.webhookProxyUrl && settings.mode === 'github') {
    const forwarder = forwardWebhooks(settings.webhookProxyUrl, `${url}/api/github/webhooks`, log);
    proxy = forwarder;
    closers.push(() => forwarder.close());
  }
  log.info('listening', { url, mode: settings.mode, table: settings.tableName, dynamodb: dynamo ? 'embedded' : endpoint });

  return {
    url,
    settings,
    store,
    queue,
    standIn,
    schedule,
    proxy,
    close: closeAll,
  };
}

/** Waits (at most 10 s) for a check run on `sha`, then for the clock to pass its second. */
async function shownOnGitHub(standIn: GitHubStandIn, repo: { owner: string; name: string }, sha: string): Promise<void> {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const deadline = Date.now() + 10_000;
  let check = standIn.checkRuns(repo.owner, repo.name).find((c) => c.headSha === sha);
  while (!check && Date.now() < deadline) {
    await sleep(50);
    check = standIn.checkRuns(repo.owner, repo.name).find((c) => c.headSha === sha);
  }
  const second = Math.floor((check?.createdAt ?? new Date()).getTime() / 1000);
  while (Math.floor(standIn.state.now().getTime() / 1000) <= second && Date.now() < deadline + 2_000) await sleep(50);
}

/** Sandbox-only controls (never mounted with a real App): push a commit, read what GitHub would show. */
function sandboxRoutes(standIn: GitHubStandIn): Hono {
  const r = new Hono();
  r.post('/push', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { branch?: string; repo?: string };
    const [owner, name] = (body.repo ?? `${DEMO_REPO.owner}/${DEMO_REPO.name}`).split('/') as [string, string];
    const branch = body.branch ?? 'main';
    const repo = standIn.repo(owner, name);
    const before = repo.branches[branch];
    const sha = randomSha();
    standIn.setBranch(owner, name, branch, sha);
    const res = await standIn.deliver(standIn.events.pushEvent(repo, { ref: `refs/heads/${branch}`, after: sha, ...(before ? { before } : {}) }));
    return c.json({ repo: repo.fullName, branch, sha, delivery: res.deliveryId, status: res.status });
  });
  // A slash command round trip: opens the pull request first when it does not exist yet (as a
  // same-repository branch, or with `fork: true` as an outside contributor's fork), then delivers
  // a signed issue_comment from `user` exactly as GitHub would.
  r.post('/comment', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as {
      repo?: string;
      pr?: number;
      body?: string;
      user?: string;
      fork?: boolean;
      author?: string;
    };
    if (typeof body.body !== 'string' || body.body.trim() === '') return c.json({ error: '"body" (the comment text) is required' }, 400);
    const [owner, name] = (body.repo ?? `${DEMO_REPO.owner}/${DEMO_REPO.name}`).split('/') as [string, string];
    let repo;
    try {
      repo = standIn.repo(owner, name);
    } catch {
      return c.json({ error: `no sandbox repository ${owner}/${name}` }, 404);
    }
    const number = Number.isInteger(body.pr) && (body.pr as number) > 0 ? (body.pr as number) : 1;
    const user = body.user ?? 'octo-maintainer';
    let pull = repo.pulls.find((p) => p.number === number);
    let opened: { delivery: string; status: number } | null = null;
    if (!pull) {
      const author = body.author ?? (body.fork ? 'outside-contributor' : user);
      const headRef = `sandbox-pr-${number}`;
      const sha = randomSha();
      if (!body.fork) standIn.setBranch(owner, name, headRef, sha);
      pull = {
        number,
        headSha: sha,
        headRef,
        user: author,
        authorAssociation: body.fork ? 'NONE' : 'MEMBER',
        title: `Sandbox pull request #${number}`,
        ...(body.fork ? { headRepo: `${author}/${name}` } : {}),
      };
      repo.pulls.push(pull);
      const res = await standIn.deliver(standIn.events.pullRequestEvent(repo, 'opened', pull));
      opened = { delivery: res.deliveryId, status: res.status };
      // As a maintainer would: comment once the new head's check run is there to read (a fork's
      // says "waiting for /ok-to-test"), in a later second than it, since an /ok-to-test approves
      // only a commit already shown as waiting when the comment was written (GitHub's whole seconds).
      await shownOnGitHub(standIn, repo, pull.headSha);
    }
    const ev = standIn.events.issueCommentEvent(repo, {
      pr: number,
      body: body.body,
      user,
      authorAssociation: repo.collaborators[user] ? 'COLLABORATOR' : 'NONE',
    });
    const res = await standIn.deliver(ev);
    return c.json({
      repo: repo.fullName,
      pr: number,
      sha: pull.headSha,
      opened,
      commentId: (ev.payload.comment as { id: number }).id,
      delivery: res.deliveryId,
      status: res.status,
    });
  });
  // What the pull request's conversation shows: every comment with the App's reactions on it.
  r.get('/comments/:owner/:repo/:pr', (c) => {
    const { owner, repo, pr } = c.req.param();
    const full = `${owner}/${repo}`.toLowerCase();
    const list = standIn.state.comments
      .filter((cm) => cm.repo.toLowerCase() === full && cm.issueNumber === Number(pr))
      .map((cm) => ({
        id: cm.id,
        user: cm.user,
        body: cm.body,
        byApp: cm.viaApp,
        reactions: standIn.reactions.filter((x) => x.commentId === cm.id).map((x) => x.content),
      }));
    return c.json(list);
  });
  r.get('/check-runs/:owner/:repo/:sha', (c) => {
    const { owner, repo, sha } = c.req.param();
    const runs = standIn.checkRuns(owner, repo).filter((cr) => cr.headSha === sha);
    return c.json(runs);
  });
  return r;
}
