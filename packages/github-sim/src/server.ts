/**
 * The GitHub stand-in: its options, the server's lifetime, seeding and readers, and the knobs tests
 * turn. Requests go through pipeline.ts; the other concerns live in their own files (see README).
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import { WebhookOutbox } from './deliveries';
import { Faults, type Fault } from './faults';
import type { ArtifactLinks } from './internal-urls';
import { handleRequest, type PipelineDeps, type RecordedRequest, type Violation } from './pipeline';
import { RunPlayer, type PlayScript } from './play';
import { RateLimits, type RateLimitStatus } from './rate-limit';
import type { RouteEnv } from './routes';
import type { ShapeContext } from './shapes';
import type {
  CancelRecord,
  CheckRunRecord,
  CommentRecord,
  Conclusion,
  DeliveryRecord,
  DispatchRecord,
  JobRecord,
  ArtifactRecord,
  ReactionRecord,
  RepoRecord,
  SeedApp,
  SeedRepo,
  WorkflowRunRecord,
} from './records';
import { StandInState } from './state';
import { eventBuilders, type EventBuilders } from './event-builders';
import type { DeliveryResult, WebhookEvent, WebhookTarget } from './sign-and-deliver';

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
  private readonly downloads: ArtifactLinks = new Map();
  private tokenCount = 0;
  private readonly rates: RateLimits;
  private readonly outbox: WebhookOutbox;
  private readonly player: RunPlayer;
  readonly shape: ShapeContext;
  private readonly env: RouteEnv;
  private readonly pipeline: PipelineDeps;

  constructor(private readonly opts: StandInOptions = {}) {
    this.state = new StandInState(opts.now ?? (() => new Date()));
    this.rates = new RateLimits(() => this.state.now(), opts.rateLimit ?? 5000);
    this.outbox = new WebhookOutbox(this.state, opts.webhook);
    // Filled in once the port is known (see `listen`).
    this.shape = { state: this.state, apiBase: 'http://127.0.0.1', htmlBase: opts.htmlBase ?? 'http://127.0.0.1/_html' };
    this.events = eventBuilders(this.shape);
    this.player = new RunPlayer(this.state, this.events, this.outbox);
    this.env = this.makeEnv();
    this.pipeline = {
      state: this.state,
      requests: this.requests,
      violations: this.violations,
      unimplemented: this.unimplemented,
      faults: this.faults,
      rates: this.rates,
      env: this.env,
      downloads: this.downloads,
      jwtNow: opts.jwtNow,
    };
    if (opts.app) this.seedApp(opts.app);
    for (const repo of opts.repos ?? []) this.seedRepo(repo);
    this.app = new Hono();
    this.app.all('*', (c) => handleRequest(this.pipeline, c.req.raw));
  }

  /** The Hono app's fetch: lets tests call the stand-in without a socket. */
  readonly fetch = (req: Request): Promise<Response> => handleRequest(this.pipeline, req);

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
