/**
 * The GitHub stand-in's HTTP server: every request is recorded, validated against GitHub's OpenAPI
 * description, optionally failed on purpose, authenticated like GitHub, then answered from state.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import { authenticate } from './auth';
import { WebhookOutbox } from './deliveries';
import { faultResponse, Faults, type Fault } from './faults';
import { validateRequest } from './openapi';
import { RunPlayer, type PlayScript } from './play';
import { RateLimits, type RateLimitStatus } from './rate-limit';
import { DOCS, error, etagMatches, etagOf, json, reply as replyResponse, withHeaders } from './responses';
import { HttpError, handlers, type RouteContext, type RouteEnv } from './routes';
import type { ShapeContext } from './shapes';
import {
  StandInState,
  type CancelRecord,
  type CheckRunRecord,
  type CommentRecord,
  type Conclusion,
  type DeliveryRecord,
  type DispatchRecord,
  type JobRecord,
  type ArtifactRecord,
  type ReactionRecord,
  type RepoRecord,
  type SeedApp,
  type SeedRepo,
  type WorkflowRunRecord,
} from './state';
import {
  eventBuilders,
  type DeliveryResult,
  type EventBuilders,
  type WebhookEvent,
  type WebhookTarget,
} from './webhooks';

export interface StandInOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The stand-in's clock: token expiry, artifact links, timestamps. Default `() => new Date()`. */
  now?: () => Date;
  /**
   * The clock App JWTs are checked against. Default: the real clock, because @octokit/auth-app
   * signs with `Date.now()` and cannot be given another clock.
   */
  jwtNow?: () => Date;
  /** Installation token lifetime. Default 1 hour of the stand-in's clock. */
  tokenTtlMs?: number;
  /** Artifact download links stay valid this long. Default 60 s of the stand-in's clock. */
  artifactUrlTtlMs?: number;
  /** Seed the App (same as `seedApp`). */
  app?: SeedApp;
  /** Seed repositories (same as `seedRepo`). */
  repos?: SeedRepo[];
  /** Where webhooks go and the secret they are signed with. */
  webhook?: { target?: WebhookTarget; secret: string };
  /** Play every dispatched run automatically (for the sandbox): requested → jobs → completed. */
  autoPlay?: { script: PlayScript | ((run: WorkflowRunRecord) => PlayScript); delayMs?: number };
  /** Base of `html_url` fields. Default `<url>/_html`. */
  htmlBase?: string;
  /**
   * Each installation's primary rate limit per hour of the stand-in's clock. Default 5,000 (an
   * installation's floor on GitHub). Change one installation's budget with `setRateLimit`.
   */
  rateLimit?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path without query string, as sent (percent-encoded). */
  path: string;
  query: Record<string, string | string[]>;
  body: unknown;
  /** The answer's status (0 until answered). */
  status: number;
  at: Date;
  operationId?: string;
  /** Whether an Authorization header came with it (a signed artifact link must be fetched without). */
  authorized: boolean;
  /** The installation whose token made it (installation-token requests only). */
  installationId?: number;
  /**
   * Counted against the installation's primary rate limit: every installation-token request GitHub
   * answered, errors included, except a `304 Not Modified` to a conditional request (GitHub does not
   * count those) and a refusal because the limit was already used up.
   */
  rateLimited: boolean;
}

export interface Violation {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  body: unknown;
  /** 404 unknown route / wrong path parameter type, 422 invalid request, 400 unparseable JSON. */
  status: number;
  message: string;
  operationId?: string;
  /** `spec`: the OpenAPI description rejects it; `semantic`: GitHub's own rules (unexpected inputs, …). */
  kind: 'spec' | 'semantic';
  at: Date;
}

export class GitHubStandIn {
  readonly state: StandInState;
  readonly app: Hono;
  readonly requests: RecordedRequest[] = [];
  readonly violations: Violation[] = [];
  /** Requests to operations GitHub has but the stand-in does not implement (answered 404). */
  readonly unimplemented: RecordedRequest[] = [];
  /** Event builders bound to this stand-in's state: `standIn.deliver(standIn.events.pushEvent(...))`. */
  readonly events: EventBuilders;
  url = '';
  private server: ServerType | undefined;
  private readonly faults = new Faults();
  private downloads = new Map<string, { artifactId: number; expiresAt: Date }>();
  private tokenCount = 0;
  private readonly rates: RateLimits;
  private readonly outbox: WebhookOutbox;
  private readonly player: RunPlayer;
  readonly shape: ShapeContext;
  private readonly env: RouteEnv;

  constructor(private readonly opts: StandInOptions = {}) {
    this.state = new StandInState(opts.now ?? (() => new Date()));
    this.rates = new RateLimits(() => this.state.now(), opts.rateLimit ?? 5000);
    this.outbox = new WebhookOutbox(this.state, opts.webhook);
    // Filled in once the port is known (see `listen`).
    this.shape = { state: this.state, apiBase: 'http://127.0.0.1', htmlBase: opts.htmlBase ?? 'http://127.0.0.1/_html' };
    this.events = eventBuilders(this.shape);
    this.player = new RunPlayer(this.state, this.events, this.outbox);
    this.env = this.makeEnv();
    if (opts.app) this.seedApp(opts.app);
    for (const repo of opts.repos ?? []) this.seedRepo(repo);
    this.app = new Hono();
    this.app.all('*', (c) => this.handle(c.req.raw));
  }

  /** The Hono app's fetch: lets tests call the stand-in without a socket. */
  readonly fetch = (req: Request): Promise<Response> => this.handle(req);

  async listen(): Promise<void> {
    const host = this.opts.host ?? '127.0.0.1';
    await new Promise<void>((resolve) => {
      this.server = serve(
        { fetch: this.app.fetch, port: this.opts.port ?? 0, hostname: host, overrideGlobalObjects: false },
        (info: AddressInfo) => {
          this.url = `http://${host}:${info.port}`;
          this.shape.apiBase = this.url;
          this.shape.htmlBase = this.opts.htmlBase ?? `${this.url}/_html`;
          resolve();
        },
      );
    });
  }

  /** Background work (webhook deliveries, redeliveries, auto-played runs) not finished yet. */
  get pendingWork(): number {
    return this.outbox.pendingWork;
  }

  /** Waits for background work (webhook deliveries, redeliveries, auto-played runs) to finish. */
  async settled(): Promise<void> {
    await this.outbox.settled();
  }

  async close(): Promise<void> {
    await this.settled();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close(() => resolve());
    });
  }

  // ----- seeding and reading ------------------------------------------------------------------

  seedApp(app: SeedApp): void {
    this.state.seedApp(app);
  }

  seedRepo(repo: SeedRepo): RepoRecord {
    return this.state.seedRepo(repo);
  }

  repo(owner: string, name: string): RepoRecord {
    return this.state.requireRepo(owner, name);
  }

  /** Moves a branch head (what a push does); null deletes the branch. */
  setBranch(owner: string, name: string, branch: string, sha: string | null): void {
    this.state.setBranch(this.repo(owner, name), branch, sha);
  }

  /**
   * Makes a repository private or public, as its settings page does, and (with a webhook target)
   * delivers `repository.privatized` / `publicized` as GitHub does; `deliver: false` changes only
   * the state, so later events carry the new `private` without that delivery.
   */
  async setVisibility(owner: string, name: string, visibility: 'private' | 'public', opts: { deliver?: boolean } = {}): Promise<DeliveryResult | undefined> {
    const repo = this.repo(owner, name);
    repo.private = visibility === 'private';
    if (opts.deliver === false) return undefined;
    return this.outbox.maybeDeliver(this.events.repositoryEvent(repo, visibility === 'private' ? 'privatized' : 'publicized'));
  }

  checkRuns(owner: string, name: string): CheckRunRecord[] {
    return this.state.checkRuns(owner, name);
  }

  workflowRuns(owner: string, name: string): WorkflowRunRecord[] {
    return this.state.workflowRuns(owner, name);
  }

  get dispatches(): DispatchRecord[] {
    return this.state.dispatches;
  }

  /** Comments posted through the API by the App (users' comments sent as events are in `state.comments`). */
  get comments(): CommentRecord[] {
    return this.state.comments.filter((c) => c.viaApp);
  }

  get reactions(): ReactionRecord[] {
    return this.state.reactions;
  }

  get cancelled(): CancelRecord[] {
    return this.state.cancelled;
  }

  get deliveries(): DeliveryRecord[] {
    return this.state.deliveries;
  }

  get tokensIssued(): number {
    return this.tokenCount;
  }

  /** The secret deliveries are signed with (a manifest conversion replaces it). */
  get webhookSecret(): string {
    return this.outbox.webhookSecret;
  }

  set webhookSecret(secret: string) {
    this.outbox.webhookSecret = secret;
  }

  get webhookTarget(): WebhookTarget | undefined {
    return this.outbox.target;
  }

  set webhookTarget(target: WebhookTarget | undefined) {
    this.outbox.target = target;
  }

  /** Answers the next matching request(s) with this status instead of handling them. */
  failNext(fault: Fault): void {
    this.faults.push(fault);
  }

  // ----- primary rate limit ------------------------------------------------------------------

  /** What `x-ratelimit-*` would say for this installation now. */
  rateLimit(installationId: number): RateLimitStatus {
    return this.rates.status(installationId);
  }

  /** Sets an installation's limit and/or what is left of it in the current window (tests of a low budget). */
  setRateLimit(installationId: number, opts: { limit?: number; remaining?: number }): void {
    this.rates.set(installationId, opts);
  }

  /** Requests counted against an installation's primary rate limit (all installations by default). */
  rateLimitedRequests(installationId?: number): RecordedRequest[] {
    return this.requests.filter((r) => r.rateLimited && (installationId === undefined || r.installationId === installationId));
  }

  // ----- webhooks (deliveries.ts) -------------------------------------------------------------

  /** Signs and delivers an event to the webhook target and logs it. Throws when no target is set. */
  async deliver(ev: WebhookEvent): Promise<DeliveryResult> {
    return this.outbox.deliver(ev);
  }

  // ----- playing workflow runs (play.ts) -------------------------------------------------------

  /** Delivers `workflow_run.requested` (GitHub sends it as soon as a dispatched run exists). */
  requestRun(runId: number): Promise<DeliveryResult | undefined> {
    return this.player.requestRun(runId);
  }

  /** Adds a queued job to a run and delivers `workflow_job.queued`. */
  queueJob(runId: number, job: { name: string; labels?: string[] }): Promise<JobRecord> {
    return this.player.queueJob(runId, job);
  }

  /** Marks a run in progress and delivers `workflow_run.in_progress`. */
  startRun(runId: number): Promise<DeliveryResult | undefined> {
    return this.player.startRun(runId);
  }

  /** A runner picks up the job: `workflow_job.in_progress` with runner_name set. */
  startJob(jobId: number, opts: { runnerName?: string } = {}): Promise<DeliveryResult | undefined> {
    return this.player.startJob(jobId, opts);
  }

  /** Finishes a job: `workflow_job.completed`. */
  completeJob(jobId: number, conclusion: Conclusion): Promise<DeliveryResult | undefined> {
    return this.player.completeJob(jobId, conclusion);
  }

  /** Uploads an artifact to a run (no webhook: GitHub sends none). */
  addArtifact(runId: number, artifact: { name: string; files: Record<string, string> }): ArtifactRecord {
    return this.player.addArtifact(runId, artifact);
  }

  /** Completes a run (unfinished jobs are cancelled) and delivers `workflow_run.completed`. */
  completeRun(runId: number, conclusion?: Conclusion): Promise<DeliveryResult | undefined> {
    return this.player.completeRun(runId, conclusion);
  }

  /** GitHub's "Re-run all jobs": a new attempt of the same run and `workflow_run.requested` again. */
  rerunRun(runId: number): Promise<DeliveryResult | undefined> {
    return this.player.rerunRun(runId);
  }

  /** Deletes a run, as a maintainer can on GitHub (no webhook follows). */
  deleteRun(runId: number): void {
    this.player.deleteRun(runId);
  }

  /** Plays a run from start to end in GitHub's order (stops early when the run was cancelled). */
  play(runId: number, script: PlayScript, opts: { delayMs?: number } = {}): Promise<WorkflowRunRecord> {
    return this.player.play(runId, script, opts);
  }


  // ----- request pipeline ----------------------------------------------------------------------

  private async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const method = req.method.toUpperCase();
    const page = /^(?:\/_html)?(?:\/organizations\/([^/]+))?\/settings\/apps\/new$/.exec(url.pathname);
    if (page && method === 'POST') return this.newAppPage(url, page[1] ? decodeURIComponent(page[1]) : undefined, await req.formData().catch(() => undefined));
    // GitHub Enterprise Server serves the same REST API under /api/v3 (validated here against
    // api.github.com's description); links the stand-in builds keep the prefix the client used.
    const apiPath = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of url.searchParams) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    const text = method === 'GET' || method === 'HEAD' ? '' : await req.text();
    let body: unknown;
    let badJson = false;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        badJson = true;
        body = text;
      }
    }
    const rec: RecordedRequest = {
      method,
      path: apiPath,
      query,
      body,
      status: 0,
      at: this.state.now(),
      authorized: req.headers.has('authorization'),
      rateLimited: false,
    };
    this.requests.push(rec);
    const answer = (res: Response): Response => {
      rec.status = res.status;
      return res;
    };
    const violation = (status: number, message: string, kind: Violation['kind'], operationId?: string) => {
      this.violations.push({ method, path: apiPath, query, body, status, message, operationId, kind, at: this.state.now() });
    };

    if (url.pathname.startsWith('/_standin/') || url.pathname.startsWith('/_html/')) {
      const fault = this.faults.take(method, url.pathname);
      if (fault) return answer(faultResponse(fault));
      return answer(this.internal(method, url));
    }

    if (badJson) {
      violation(400, 'Problems parsing JSON', 'spec');
      return answer(error(400, 'Problems parsing JSON'));
    }
    const v = validateRequest({ method, path: apiPath, query, body });
    if (!v.ok) {
      violation(v.status, v.message, 'spec', v.operationId);
      if (v.status === 404) return answer(json(404, { message: 'Not Found', documentation_url: DOCS, status: '404' }));
      return answer(error(v.status, v.message, v.documentationUrl));
    }
    rec.operationId = v.operationId;
    const fault = this.faults.take(method, apiPath);
    if (fault) return answer(faultResponse(fault));

    const auth = authenticate(this.state, this.opts.jwtNow, v.template, v.params, req.headers);
    if (!auth.ok) return answer(error(auth.status, auth.message));

    const installationId = auth.installationId;
    if (installationId !== undefined) {
      rec.installationId = installationId;
      if (this.rateLimit(installationId).remaining === 0) {
        // GitHub refuses without acting once the hour's budget is spent (not counted again).
        const res = error(403, `API rate limit exceeded for installation ID ${installationId}.`, 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api');
        return answer(withHeaders(res, this.rates.headers(installationId)));
      }
    }
    /** Counts an answered installation request and reports the budget left, as GitHub does on every answer. */
    const metered = (res: Response): Response => {
      if (installationId === undefined) return res;
      if (res.status !== 304) {
        this.rates.window(installationId).used += 1;
        rec.rateLimited = true;
      }
      return withHeaders(res, this.rates.headers(installationId));
    };

    const handler = handlers[v.operationId];
    if (!handler) {
      this.unimplemented.push(rec);
      return answer(metered(error(404, `Not Found (the stand-in does not implement ${v.operationId})`)));
    }
    const docs = v.documentationUrl;
    const ctx: RouteContext = {
      operationId: v.operationId,
      params: v.params,
      query,
      body: body ?? {},
      headers: req.headers,
      installationId: auth.installationId,
      documentationUrl: docs,
      url,
    };
    try {
      const reply = await handler(this.env, ctx);
      if (method === 'GET' && reply.status === 200) {
        // Conditional requests, as GitHub answers them: every 200 to a GET carries an ETag, and the
        // same ETag in If-None-Match gets 304 with no body (which the rate limit does not count).
        const etag = etagOf(reply);
        if (etagMatches(req.headers.get('if-none-match'), etag)) return answer(metered(json(304, undefined, { etag })));
        reply.headers = { ...(reply.headers ?? {}), etag };
      }
      return answer(metered(replyResponse(reply, this.state.now())));
    } catch (err) {
      if (err instanceof HttpError) {
        if (err.violation) violation(err.status, err.message, 'semantic', v.operationId);
        return answer(metered(error(err.status, err.message, docs, err.extra)));
      }
      console.error('stand-in handler failed:', err);
      return answer(metered(error(500, 'Server Error')));
    }
  }

  /**
   * GitHub's "new App" page given a manifest (the manifest flow's first step): the user would
   * confirm there; the stand-in creates the one-hour code at once and sends the browser back to
   * the manifest's `redirect_url` with it and the caller's `state`, as GitHub does after "Create".
   */
  private newAppPage(url: URL, org: string | undefined, form: FormData | undefined): Response {
    const text = (message: string, status: number) =>
      new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    const raw = form?.get('manifest');
    let manifest: Record<string, any> | undefined;
    try {
      const parsed: unknown = typeof raw === 'string' ? JSON.parse(raw) : undefined;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) manifest = parsed as Record<string, any>;
    } catch {
      manifest = undefined;
    }
    if (!manifest) return text('Invalid GitHub App configuration: the manifest must be a JSON object', 422);
    if (typeof manifest.url !== 'string' || !/^https?:\/\//.test(manifest.url)) return text('Invalid GitHub App configuration: url is required', 422);
    if (manifest.hook_attributes !== undefined && typeof manifest.hook_attributes?.url !== 'string') {
      return text('Invalid GitHub App configuration: hook_attributes.url is required', 422);
    }
    const code = randomBytes(10).toString('hex');
    this.state.manifestCodes.set(code, {
      code,
      manifest,
      owner: org ? { login: org, type: 'Organization' } : { login: 'octocat', type: 'User' },
      createdAt: this.state.now(),
      used: false,
    });
    if (typeof manifest.redirect_url !== 'string') return text(`Created. Code: ${code}`, 200);
    const back = new URL(manifest.redirect_url);
    back.searchParams.set('code', code);
    const state = url.searchParams.get('state');
    if (state !== null) back.searchParams.set('state', state);
    return new Response(null, { status: 302, headers: { location: back.toString() } });
  }

  /** The stand-in's own URLs: artifact blobs, raw files, html pages. */
  private internal(method: string, url: URL): Response {
    const blob = /^\/_standin\/artifacts\/([^/]+)$/.exec(url.pathname);
    if (blob && method === 'GET') {
      const link = this.downloads.get(blob[1]!);
      if (!link) return error(404, 'Not Found');
      // Like an expired signed blob link.
      if (this.state.now().getTime() >= link.expiresAt.getTime()) return error(410, 'This download link has expired');
      const found = this.state.artifact(link.artifactId);
      if (!found) return error(404, 'Not Found');
      return new Response(found.artifact.zip as BodyInit, {
        status: 200,
        headers: {
          'content-type': 'application/zip',
          'content-disposition': `attachment; filename=${found.artifact.name}.zip`,
        },
      });
    }
    const raw = /^\/_standin\/raw\/([^/]+)\/([^/]+)\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (raw && method === 'GET') {
      const repo = this.state.repo(raw[1]!, raw[2]!);
      const content = repo ? this.state.fileAt(repo, decodeURIComponent(raw[4]!), decodeURIComponent(raw[3]!)) : undefined;
      if (content === undefined) return error(404, 'Not Found');
      return new Response(content, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
    if (url.pathname.startsWith('/_html/')) {
      return new Response(`GitHub stand-in (sandbox): ${url.pathname.slice('/_html'.length)}\n`, {
        status: 200,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    return error(404, 'Not Found');
  }

  // ----- what the routes can ask of the server -------------------------------------------------

  private makeEnv(): RouteEnv {
    return {
    state: this.state,
    shape: this.shape,
    issueToken: (installationId, repositories) => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
      const token = `ghs_${[...randomBytes(36)].map((b) => alphabet[b % alphabet.length]).join('')}`;
      const issuedAt = this.state.now();
      const expiresAt = new Date(issuedAt.getTime() + (this.opts.tokenTtlMs ?? 3_600_000));
      this.state.tokens.set(token, { token, installationId, repositories, expiresAt, issuedAt });
      this.tokenCount += 1;
      return { token, expiresAt };
    },
    onRunCreated: (run) => {
      const auto = this.opts.autoPlay;
      if (!auto) return;
      this.player.autoPlay(run, auto);
    },
    redeliver: (deliveryId) => this.outbox.redeliver(deliveryId),
    cancelRun: (run) => this.player.cancelRun(run),
    artifactDownloadUrl: (artifactId) => {
      const key = randomBytes(16).toString('hex');
      const ttl = this.opts.artifactUrlTtlMs ?? 60_000;
      this.downloads.set(key, { artifactId, expiresAt: new Date(this.state.now().getTime() + ttl) });
      return `${this.url}/_standin/artifacts/${key}`;
    },
    onAppCreated: ({ webhookSecret, hookUrl }) => {
      this.outbox.webhookSecret = webhookSecret;
      // GitHub delivers to the URL the manifest named; a target a test set itself wins.
      if (!this.outbox.target && hookUrl) this.outbox.target = hookUrl;
    },
    };
  }

  static async start(opts: StandInOptions = {}): Promise<GitHubStandIn> {
    const standIn = new GitHubStandIn(opts);
    await standIn.listen();
    return standIn;
  }
}

/** Starts a stand-in on 127.0.0.1 (a free port unless `opts.port`). Call `close()` when done. */
export async function startGitHubStandIn(opts: StandInOptions = {}): Promise<GitHubStandIn> {
  return GitHubStandIn.start(opts);
}
