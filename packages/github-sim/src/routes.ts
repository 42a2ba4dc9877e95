/**
 * The stand-in's answers, one handler per GitHub operationId. The request has already been
 * validated against the OpenAPI description and authenticated when a handler runs.
 */
import { randomBytes } from 'node:crypto';
import { zipSync, strToU8 } from 'fflate';
import { generateAppKeys } from './keys';
import * as shapes from './shapes';
import type { ShapeContext } from './shapes';
import type {
  CheckRunRecord,
  Conclusion,
  RepoRecord,
  StandInState,
  WorkflowRunRecord,
} from './state';

type Obj = Record<string, any>;

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw bytes (artifact zips, raw file content) instead of JSON. */
  raw?: Uint8Array | string;
  contentType?: string;
}

/** A GitHub error answer. 422s (and 400s) are requests GitHub rejects, so they count as violations. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly violation = status === 422 || status === 400,
    readonly extra: Obj = {},
  ) {
    super(message);
  }
}

export interface RouteContext {
  operationId: string;
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  body: any;
  headers: Headers;
  /** The installation of the token used, when the route takes an installation token. */
  installationId?: number;
  documentationUrl: string;
  /** The request URL (for pagination links). */
  url: URL;
}

export interface RouteEnv {
  state: StandInState;
  shape: ShapeContext;
  /** Issues an installation token (JWT already checked). */
  issueToken(installationId: number, repositories?: string[]): { token: string; expiresAt: Date };
  /** Called after a dispatch created a run (auto-play hooks in here). */
  onRunCreated(run: WorkflowRunRecord): void;
  /** Cancels a run: state now, webhooks in the background. */
  cancelRun(run: WorkflowRunRecord): void;
  /** Re-sends a logged delivery in the background. */
  redeliver(deliveryId: number): boolean;
  /** A one-minute download URL for an artifact zip. */
  artifactDownloadUrl(artifactId: number): string;
  /** A manifest conversion created the App: deliveries are signed with its new secret from now on. */
  onAppCreated(app: { webhookSecret: string; hookUrl: string | undefined }): void;
}

export type Handler = (env: RouteEnv, ctx: RouteContext) => Reply | Promise<Reply>;

const notFound = () => new HttpError(404, 'Not Found');

function repoOf(env: RouteEnv, ctx: RouteContext): RepoRecord {
  const repo = env.state.repo(ctx.params.owner ?? '', ctx.params.repo ?? '');
  if (!repo) throw notFound();
  return repo;
}

function intParam(ctx: RouteContext, name: string): number {
  return Number(ctx.params[name]);
}

function q(ctx: RouteContext, name: string): string | undefined {
  const v = ctx.query[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** GitHub's page/per_page pagination with a Link header. */
function paginate<T>(ctx: RouteContext, items: T[]): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(q(ctx, 'per_page') ?? 30) || 30, 1), 100);
  const page = Math.max(Number(q(ctx, 'page') ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number, rel: string) => {
    const u = new URL(ctx.url);
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('page', String(n));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(', ') } : {},
  };
}

/** GitHub's date search syntax for `created`: `>=X`, `<X`, `X..Y`, `X` (a date or a date-time). */
export function matchesCreated(date: Date, expr: string): boolean {
  const bounds = (text: string): [number, number] | undefined => {
    if (text === '*') return undefined;
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
      const start = Date.parse(`${text}T00:00:00Z`);
      return Number.isNaN(start) ? undefined : [start, start + 86_400_000];
    }
    const t = Date.parse(text);
    return Number.isNaN(t) ? undefined : [t, t + 1000];
  };
  const t = date.getTime();
  const range = /^(.+)\.\.(.+)$/.exec(expr);
  if (range) {
    const from = bounds(range[1]!);
    const to = bounds(range[2]!);
    return (!from || t >= from[0]) && (!to || t < to[1]);
  }
  const cmp = /^(>=|<=|>|<)?(.+)$/.exec(expr);
  const b = cmp ? bounds(cmp[2]!) : undefined;
  if (!cmp || !b) return false;
  switch (cmp[1]) {
    case '>=':
      return t >= b[0];
    case '>':
      return t >= b[1];
    case '<=':
      return t < b[1];
    case '<':
      return t < b[0];
    default:
      return t >= b[0] && t < b[1];
  }
}

function parseDate(value: unknown): Date | undefined {
  return typeof value === 'string' ? new Date(value) : undefined;
}

const STATUSES = new Set(['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending']);

function listRuns(env: RouteEnv, ctx: RouteContext, runs: WorkflowRunRecord[]): Reply {
  const created = q(ctx, 'created');
  const headSha = q(ctx, 'head_sha');
  const event = q(ctx, 'event');
  const status = q(ctx, 'status');
  const branch = q(ctx, 'branch');
  const actor = q(ctx, 'actor');
  const filtered = runs
    .filter((r) => !created || matchesCreated(r.createdAt, created))
    .filter((r) => !headSha || r.headSha === headSha)
    .filter((r) => !event || r.event === event)
    .filter((r) => !branch || r.headBranch === branch)
    .filter((r) => !actor || r.actor === actor)
    // `status` takes a status or a conclusion.
    .filter((r) => !status || (STATUSES.has(status) ? r.status === status : r.conclusion === status))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
  const { page, headers } = paginate(ctx, filtered);
  return {
    status: 200,
    headers,
    body: { total_count: filtered.length, workflow_runs: page.map((r) => shapes.workflowRun(env.shape, r)) },
  };
}

function runOf(env: RouteEnv, ctx: RouteContext, repo: RepoRecord): WorkflowRunRecord {
  const run = env.state.run(intParam(ctx, 'run_id'));
  if (!run || run.repo !== repo.fullName) throw notFound();
  return run;
}

/** A job or an artifact by its id, found only through the repository whose run holds it (else 404, as GitHub answers). */
function ofRepoRun<T extends { run: WorkflowRunRecord }>(env: RouteEnv, ctx: RouteContext, find: (id: number) => T | null | undefined, idParam: string): T {
  const repo = repoOf(env, ctx);
  const found = find(intParam(ctx, idParam));
  if (!found || found.run.repo !== repo.fullName) throw notFound();
  return found;
}

/** A pull request's conversation, by `issue_number` (the stand-in's issues are its pull requests). */
function issueOf(env: RouteEnv, ctx: RouteContext): { repo: RepoRecord; issueNumber: number } {
  const repo = repoOf(env, ctx);
  const issueNumber = intParam(ctx, 'issue_number');
  if (!repo.pulls.some((p) => p.number === issueNumber)) throw notFound();
  return { repo, issueNumber };
}

/** Who the App writes as. */
const appLogin = (env: RouteEnv) => (env.state.app ? `${env.state.app.slug}[bot]` : 'stand-in[bot]');

const jobOf = (env: RouteEnv, ctx: RouteContext) => ofRepoRun(env, ctx, (id) => env.state.job(id), 'job_id');
const artifactOf = (env: RouteEnv, ctx: RouteContext) => ofRepoRun(env, ctx, (id) => env.state.artifact(id), 'artifact_id');

function checkRunOf(env: RouteEnv, ctx: RouteContext, repo: RepoRecord): CheckRunRecord {
  const cr = env.state.checkRun(intParam(ctx, 'check_run_id'));
  if (!cr || cr.repo !== repo.fullName) throw notFound();
  return cr;
}

/** What both POST and PATCH of a check run apply; GitHub appends annotations and replaces the rest. */
function applyCheckRunBody(env: RouteEnv, cr: CheckRunRecord, body: Obj, creating: boolean): void {
  const now = env.state.now();
  if (body.conclusion === 'stale') {
    throw new HttpError(422, 'Invalid request.\n\nYou cannot change a check run conclusion to stale.');
  }
  const completing = body.conclusion !== undefined || body.status === 'completed' || body.completed_at !== undefined;
  if (completing && body.conclusion === undefined && cr.conclusion === null) {
    // The create schema lacks this rule, but GitHub enforces it for both create and update.
    throw new HttpError(422, `Invalid request.\n\nNo subschema in "anyOf" matched.\n"conclusion" wasn't supplied.`);
  }
  if (body.name !== undefined) cr.name = body.name;
  if (body.details_url !== undefined) cr.detailsUrl = body.details_url;
  if (body.external_id !== undefined) cr.externalId = body.external_id;
  if (body.started_at !== undefined) cr.startedAt = parseDate(body.started_at) ?? cr.startedAt;
  if (body.status !== undefined) cr.status = body.status;
  if (body.conclusion !== undefined) {
    cr.conclusion = body.conclusion as Conclusion;
    cr.status = 'completed';
  }
  if (cr.status === 'completed') cr.completedAt = parseDate(body.completed_at) ?? cr.completedAt ?? now;
  else cr.completedAt = null;
  if (creating && cr.startedAt === null) cr.startedAt = now;
  if (body.output) {
    const o = body.output as Obj;
    cr.output = {
      title: o.title ?? cr.output.title,
      summary: o.summary ?? cr.output.summary,
      text: o.text ?? (creating ? null : cr.output.text),
    };
    if (Array.isArray(o.annotations)) cr.annotations.push(...structuredClone(o.annotations as Obj[]));
  }
  if (Array.isArray(body.actions)) cr.actions = structuredClone(body.actions);
  cr.history.push({ method: creating ? 'POST' : 'PATCH', body: structuredClone(body), at: now });
}

/** `${{ inputs.x }}` / `${{ github.event.inputs.x }}` in a run-name; other expressions become empty. */
export function renderRunName(template: string, inputs: Record<string, unknown>): string {
  return template.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
    const m = /^(?:github\.event\.)?inputs\.([A-Za-z0-9_-]+)$/.exec(expr);
    const value = m ? inputs[m[1]!] : undefined;
    return value === undefined || value === null ? '' : String(value);
  });
}

function dispatch(env: RouteEnv, ctx: RouteContext): Reply {
  const repo = repoOf(env, ctx);
  const wf = env.state.findWorkflow(repo, ctx.params.workflow_id ?? '');
  if (!wf) throw notFound();
  if (!wf.dispatchable || !wf.inputs) {
    throw new HttpError(422, "Workflow does not have 'workflow_dispatch' trigger");
  }
  const ref = String(ctx.body.ref);
  const short = ref.replace(/^refs\/(heads|tags)\//, '');
  // Like GitHub, a dispatch ref is a branch or tag name, never a commit sha.
  const headSha = repo.branches[short];
  if (!headSha) throw new HttpError(422, `No ref found for: ${ref}`);
  const given = (ctx.body.inputs ?? {}) as Record<string, unknown>;
  const declared = wf.inputs;
  const unexpected = Object.keys(given).filter((k) => !(k in declared));
  if (unexpected.length > 0) {
    throw new HttpError(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
  }
  const inputs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const value = given[name] ?? spec.default;
    if (value === undefined) {
      if (spec.required) throw new HttpError(422, `Required input '${name}' not provided`);
      continue;
    }
    const type = spec.type ?? 'string';
    const okType =
      type === 'boolean'
        ? typeof value === 'boolean' || value === 'true' || value === 'false'
        : type === 'number'
          ? typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
          : typeof value === 'string';
    if (!okType) throw new HttpError(422, `Provided value for input '${name}' is not a ${type === 'choice' || type === 'environment' ? 'string' : type}`);
    if (type === 'choice' && spec.options && !spec.options.includes(String(value))) {
      throw new HttpError(422, `Provided value '${String(value)}' for input '${name}' not in the list of allowed values`);
    }
    inputs[name] = value;
  }
  const now = env.state.now();
  const runNumber = env.state.runList.filter((r) => r.workflowId === wf.id).length + 1;
  const run: WorkflowRunRecord = {
    id: env.state.nextId('run'),
    repo: repo.fullName,
    workflowId: wf.id,
    workflowFile: wf.file,
    workflowName: wf.name,
    displayTitle: wf.runName ? renderRunName(wf.runName, inputs) : wf.name,
    headSha,
    headBranch: short,
    event: 'workflow_dispatch',
    status: 'queued',
    conclusion: null,
    runNumber,
    runAttempt: 1,
    actor: env.state.app ? `${env.state.app.slug}[bot]` : 'github-actions[bot]',
    inputs,
    createdAt: now,
    updatedAt: now,
    runStartedAt: now,
    jobs: [],
    artifacts: [],
  };
  env.state.runList.push(run);
  const returnRunDetails = ctx.body.return_run_details === true;
  env.state.dispatches.push({
    repo: repo.fullName,
    workflow: wf.file,
    ref,
    inputs: structuredClone(given),
    returnRunDetails,
    runId: run.id,
    at: now,
  });
  env.onRunCreated(run);
  if (!returnRunDetails) return { status: 204 };
  return {
    status: 200,
    body: {
      workflow_run_id: run.id,
      run_url: `${env.shape.apiBase}/repos/${repo.fullName}/actions/runs/${run.id}`,
      html_url: `${env.shape.htmlBase}/${repo.fullName}/actions/runs/${run.id}`,
    },
  };
}

function contents(env: RouteEnv, ctx: RouteContext): Reply {
  const repo = repoOf(env, ctx);
  const ref = q(ctx, 'ref') ?? repo.defaultBranch;
  if (!env.state.resolveRef(repo, ref)) throw new HttpError(404, `No commit found for the ref ${ref}`);
  const path = (ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
  const content = env.state.fileAt(repo, path, ref);
  const accept = ctx.headers.get('accept') ?? '';
  if (content !== undefined) {
    if (/application\/vnd\.github(\.v3)?\.raw/.test(accept)) {
      return { status: 200, raw: content, contentType: 'application/vnd.github.raw; charset=utf-8' };
    }
    return { status: 200, body: shapes.contentFile(env.shape, repo, path, content, ref) };
  }
  // A directory: list what lives directly under it on that ref.
  const prefix = path === '' ? '' : `${path}/`;
  const names = new Set<string>();
  const candidates = new Set([...Object.keys(repo.files), ...Object.values(repo.filesAt).flatMap((o) => Object.keys(o))]);
  for (const file of candidates) {
    if (file.startsWith(prefix) && env.state.fileAt(repo, file, ref) !== undefined) {
      names.add(file.slice(prefix.length).split('/')[0]!);
    }
  }
  if (names.size === 0) throw notFound();
  const entries = [...names].sort().map((name) => {
    const full = `${prefix}${name}`;
    const file = env.state.fileAt(repo, full, ref);
    if (file !== undefined) {
      const { content: _c, encoding: _e, ...entry } = shapes.contentFile(env.shape, repo, full, file, ref);
      return entry;
    }
    const url = `${env.shape.apiBase}/repos/${repo.fullName}/contents/${full}?ref=${encodeURIComponent(ref)}`;
    const html = `${env.shape.htmlBase}/${repo.fullName}/tree/${ref}/${full}`;
    return { type: 'dir', size: 0, name, path: full, sha: '0'.repeat(40), url, git_url: null, html_url: html, download_url: null, _links: { self: url, git: null, html } };
  });
  return { status: 200, body: entries };
}

function newToken(env: RouteEnv, ctx: RouteContext): Reply {
  const installationId = intParam(ctx, 'installation_id');
  const repos = env.state.installationRepos(installationId);
  if (repos.length === 0) throw notFound();
  let limited: string[] | undefined;
  if (Array.isArray(ctx.body?.repositories) || Array.isArray(ctx.body?.repository_ids)) {
    const names = new Set<string>((ctx.body.repositories ?? []).map((n: string) => n.toLowerCase()));
    const ids = new Set<number>(ctx.body.repository_ids ?? []);
    const chosen = repos.filter((r) => names.has(r.name.toLowerCase()) || ids.has(r.id));
    if (chosen.length !== names.size + ids.size) {
      throw new HttpError(422, 'There is at least one repository that does not exist or is not accessible to the parent installation.');
    }
    limited = chosen.map((r) => r.fullName);
  }
  const { token, expiresAt } = env.issueToken(installationId, limited);
  const app = shapes.integration(env.shape);
  return {
    status: 201,
    body: {
      token,
      expires_at: shapes.iso(expiresAt),
      permissions: ctx.body?.permissions ?? app?.permissions ?? {},
      repository_selection: limited ? 'selected' : 'all',
      ...(limited
        ? { repositories: limited.map((full) => shapes.repository(env.shape, env.state.repos.get(full.toLowerCase())!)) }
        : {}),
    },
  };
}

function listDeliveries(env: RouteEnv, ctx: RouteContext): Reply {
  const perPage = Math.min(Math.max(Number(q(ctx, 'per_page') ?? 30) || 30, 1), 100);
  const cursor = q(ctx, 'cursor');
  const status = q(ctx, 'status');
  let items = [...env.state.deliveries].sort((a, b) => b.id - a.id);
  if (status === 'success') items = items.filter((d) => d.statusCode >= 200 && d.statusCode < 400);
  if (status === 'failure') items = items.filter((d) => d.statusCode < 200 || d.statusCode >= 400);
  if (cursor) {
    const m = /^v1_(\d+)$/.exec(cursor);
    if (!m) throw new HttpError(400, 'Invalid cursor');
    items = items.filter((d) => d.id <= Number(m[1]));
  }
  const page = items.slice(0, perPage);
  const next = items[perPage];
  const headers: Record<string, string> = {};
  if (next) {
    const u = new URL(ctx.url);
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('cursor', `v1_${next.id}`);
    headers.link = `<${u.toString()}>; rel="next"`;
  }
  return { status: 200, headers, body: page.map(shapes.hookDeliveryItem) };
}

export const handlers: Record<string, Handler> = {
  'apps/get-authenticated': (env) => ({ status: 200, body: shapes.integration(env.shape) }),

  'apps/create-installation-access-token': newToken,

  'apps/get-installation': (env, ctx) => {
    const inst = shapes.installation(env.shape, intParam(ctx, 'installation_id'));
    if (!inst) throw notFound();
    return { status: 200, body: inst };
  },

  'apps/list-installations': (env, ctx) => {
    const ids = [...new Set([...env.state.repos.values()].map((r) => r.installationId))].sort((a, b) => a - b);
    const { page, headers } = paginate(ctx, ids);
    return { status: 200, headers, body: page.map((id) => shapes.installation(env.shape, id)) };
  },

  'apps/get-repo-installation': (env, ctx) => {
    const repo = repoOf(env, ctx);
    return { status: 200, body: shapes.installation(env.shape, repo.installationId) };
  },

  'apps/list-repos-accessible-to-installation': (env, ctx) => {
    const repos = env.state.installationRepos(ctx.installationId ?? -1);
    const { page, headers } = paginate(ctx, repos);
    return {
      status: 200,
      headers,
      body: {
        total_count: repos.length,
        repository_selection: 'selected',
        repositories: page.map((r) => shapes.repository(env.shape, r)),
      },
    };
  },

  'apps/list-webhook-deliveries': listDeliveries,

  'apps/get-webhook-config-for-app': (env) => ({ status: 200, body: shapes.webhookConfig(env.shape) }),

  // The manifest flow's last step: GitHub creates the App the "new App" page was given and hands
  // its credentials over once. Codes expire after an hour.
  'apps/create-from-manifest': (env, ctx) => {
    const record = env.state.manifestCodes.get(ctx.params.code ?? '');
    const expired = record && env.state.now().getTime() - record.createdAt.getTime() > 3_600_000;
    if (!record || record.used || expired) throw notFound();
    record.used = true;
    const m = record.manifest;
    const keys = generateAppKeys();
    const id = (env.state.app?.id ?? 1_000_000) + 1;
    const name = String(m.name ?? 'app');
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || `app-${id}`;
    const webhookSecret = randomBytes(20).toString('hex');
    const clientId = `Iv23li${randomBytes(7).toString('hex')}`;
    const hookUrl = typeof m.hook_attributes?.url === 'string' ? m.hook_attributes.url : undefined;
    env.state.seedApp({
      id,
      slug,
      name,
      publicKeyPem: keys.publicKey,
      permissions: { metadata: 'read', ...(m.default_permissions ?? {}) },
      events: [...(m.default_events ?? [])],
      ...(hookUrl ? { hook: { url: hookUrl, secret: true, active: m.hook_attributes?.active !== false } } : {}),
      owner: record.owner,
      clientId,
    });
    env.onAppCreated({ webhookSecret, hookUrl });
    return {
      status: 201,
      body: {
        ...shapes.integration(env.shape),
        description: typeof m.description === 'string' ? m.description : null,
        external_url: String(m.url ?? ''),
        client_id: clientId,
        client_secret: randomBytes(20).toString('hex'),
        webhook_secret: webhookSecret,
        pem: keys.privateKey,
      },
    };
  },

  'apps/get-webhook-delivery': (env, ctx) => {
    const d = env.state.deliveries.find((x) => x.id === intParam(ctx, 'delivery_id'));
    if (!d) throw notFound();
    let payload: unknown = d.payload;
    try {
      payload = JSON.parse(d.payload);
    } catch {
      // keep the raw text
    }
    return {
      status: 200,
      body: {
        ...shapes.hookDeliveryItem(d),
        url: null,
        request: { headers: { 'X-GitHub-Delivery': d.guid, 'X-GitHub-Event': d.event, 'content-type': 'application/json' }, payload },
        response: { headers: {}, payload: d.responseBody },
      },
    };
  },

  'apps/redeliver-webhook-delivery': (env, ctx) => {
    if (!env.redeliver(intParam(ctx, 'delivery_id'))) throw notFound();
    return { status: 202, body: {} };
  },

  'repos/get': (env, ctx) => {
    const repo = repoOf(env, ctx);
    return {
      status: 200,
      body: {
        ...shapes.repository(env.shape, repo),
        permissions: { admin: false, maintain: false, push: false, triage: false, pull: true },
      },
    };
  },

  'repos/get-branch': (env, ctx) => {
    const repo = repoOf(env, ctx);
    const name = ctx.params.branch ?? '';
    const sha = repo.branches[name];
    if (!sha) throw new HttpError(404, 'Branch not found');
    const api = `${env.shape.apiBase}/repos/${repo.fullName}`;
    return {
      status: 200,
      body: {
        name,
        commit: {
          sha,
          node_id: Buffer.from(`Commit:${sha}`).toString('base64'),
          url: `${api}/commits/${sha}`,
          html_url: `${env.shape.htmlBase}/${repo.fullName}/commit/${sha}`,
          comments_url: `${api}/commits/${sha}/comments`,
          commit: {
            url: `${api}/git/commits/${sha}`,
            author: { name: 'Octo Cat', email: 'octocat@example.com', date: shapes.iso(repo.createdAt) },
            committer: { name: 'GitHub', email: 'noreply@github.com', date: shapes.iso(repo.createdAt) },
            message: `Commit ${sha.slice(0, 7)}`,
            tree: { sha: sha, url: `${api}/git/trees/${sha}` },
            comment_count: 0,
          },
          author: null,
          committer: null,
          parents: [],
        },
        _links: { html: `${env.shape.htmlBase}/${repo.fullName}/tree/${name}`, self: `${api}/branches/${name}` },
        protected: false,
        protection: { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
        protection_url: `${api}/branches/${name}/protection`,
      },
    };
  },

  'repos/get-content': contents,

  'checks/create': (env, ctx) => {
    const repo = repoOf(env, ctx);
    const headSha = String(ctx.body.head_sha);
    if (!/^[0-9a-f]{40}$/i.test(headSha)) throw new HttpError(422, `No commit found for SHA: ${headSha}`);
    const now = env.state.now();
    const cr: CheckRunRecord = {
      id: env.state.nextId('checkRun'),
      repo: repo.fullName,
      name: String(ctx.body.name),
      headSha: headSha.toLowerCase(),
      status: 'queued',
      conclusion: null,
      detailsUrl: null,
      externalId: null,
      startedAt: null,
      completedAt: null,
      output: { title: null, summary: null, text: null },
      annotations: [],
      actions: [],
      history: [],
      createdAt: now,
    };
    applyCheckRunBody(env, cr, ctx.body as Obj, true);
    env.state.checkRunList.push(cr);
    return { status: 201, body: shapes.checkRun(env.shape, cr) };
  },

  'checks/update': (env, ctx) => {
    const repo = repoOf(env, ctx);
    const cr = checkRunOf(env, ctx, repo);
    applyCheckRunBody(env, cr, ctx.body as Obj, false);
    return { status: 200, body: shapes.checkRun(env.shape, cr) };
  },

  'checks/get': (env, ctx) => {
    const repo = repoOf(env, ctx);
    return { status: 200, body: shapes.checkRun(env.shape, checkRunOf(env, ctx, repo)) };
  },

  'checks/list-annotations': (env, ctx) => {
    const repo = repoOf(env, ctx);
    const cr = checkRunOf(env, ctx, repo);
    const { page, headers } = paginate(ctx, cr.annotations);
    const body = page.map((a) => ({
      path: a.path,
      start_line: a.start_line,
      end_line: a.end_line,
      start_column: a.start_column ?? null,
      end_column: a.end_column ?? null,
      annotation_level: a.annotation_level,
      title: a.title ?? '',
      message: a.message,
      raw_details: a.raw_details ?? '',
      blob_href: `${env.shape.htmlBase}/${repo.fullName}/blob/${cr.headSha}/${String(a.path)}`,
    }));
    return { status: 200, headers, body };
  },

  'checks/list-for-ref': (env, ctx) => {
    const repo = repoOf(env, ctx);
    const sha = env.state.resolveRef(repo, ctx.params.ref ?? '');
    if (!sha) throw new HttpError(422, `No commit found for SHA: ${ctx.params.ref}`);
    const name = q(ctx, 'check_name');
    const status = q(ctx, 'status');
    const filter = q(ctx, 'filter') ?? 'latest';
    let runs = env.state
      .checkRuns(repo.owner, repo.name)
      .filter((c) => c.headSha === sha)
      .filter((c) => !name || c.name === name)
      .filter((c) => !status || c.status === status)
      .sort((a, b) => b.id - a.id);
    if (filter === 'latest') {
      const seen = new Set<string>();
      runs = runs.filter((c) => (seen.has(c.name) ? false : (seen.add(c.name), true)));
    }
    const { page, headers } = paginate(ctx, runs);
    return { status: 200, headers, body: { total_count: runs.length, check_runs: page.map((c) => shapes.checkRun(env.shape, c)) } };
  },

  'actions/get-workflow': (env, ctx) => {
    const repo = repoOf(env, ctx);
    const wf = env.state.findWorkflow(repo, ctx.params.workflow_id ?? '');
    if (!wf) throw notFound();
    return { status: 200, body: shapes.workflow(env.shape, repo, wf) };
  },

  'actions/create-workflow-dispatch': dispatch,

  'actions/get-workflow-run': (env, ctx) => {
    const repo = repoOf(env, ctx);
    return { status: 200, body: shapes.workflowRun(env.shape, runOf(env, ctx, repo)) };
  },

  'actions/list-workflow-runs': (env, ctx) => {
    const repo = repoOf(env, ctx);
    const wf = env.state.findWorkflow(repo, ctx.params.workflow_id ?? '');
    if (!wf) throw notFound();
    return listRuns(env, ctx, env.state.workflowRuns(repo.owner, repo.name).filter((r) => r.workflowId === wf.id));
  },

  'actions/list-workflow-runs-for-repo': (env, ctx) => {
    const repo = repoOf(env, ctx);
    return listRuns(env, ctx, env.state.workflowRuns(repo.owner, repo.name));
  },

  'actions/cancel-workflow-run': (env, ctx) => {
    const repo = repoOf(env, ctx);
    const run = runOf(env, ctx, repo);
    if (run.status === 'completed') {
      throw new HttpError(409, 'Cannot cancel a workflow run that is completed.', false);
    }
    env.cancelRun(run);
    return { status: 202, body: {} };
  },

  'actions/list-jobs-for-workflow-run': (env, ctx) => {
    const repo = repoOf(env, ctx);
    const run = runOf(env, ctx, repo);
    const { page, headers } = paginate(ctx, run.jobs);
    return { status: 200, headers, body: { total_count: run.jobs.length, jobs: page.map((j) => shapes.job(env.shape, run, j)) } };
  },

  'actions/get-job-for-workflow-run': (env, ctx) => {
    const found = jobOf(env, ctx);
    return { status: 200, body: shapes.job(env.shape, found.run, found.job) };
  },

  'actions/list-workflow-run-artifacts': (env, ctx) => {
    const repo = repoOf(env, ctx);
    const run = runOf(env, ctx, repo);
    const name = q(ctx, 'name');
    const list = run.artifacts.filter((a) => !name || a.name === name);
    const { page, headers } = paginate(ctx, list);
    return { status: 200, headers, body: { total_count: list.length, artifacts: page.map((a) => shapes.artifact(env.shape, run, a)) } };
  },

  'actions/get-artifact': (env, ctx) => {
    const found = artifactOf(env, ctx);
    return { status: 200, body: shapes.artifact(env.shape, found.run, found.artifact) };
  },

  'actions/download-artifact': (env, ctx) => {
    const found = artifactOf(env, ctx);
    if (ctx.params.archive_format !== 'zip') throw notFound();
    if (env.state.now().getTime() >= found.artifact.expiresAt.getTime()) {
      throw new HttpError(410, 'Artifact has expired', false);
    }
    return { status: 302, headers: { location: env.artifactDownloadUrl(found.artifact.id) } };
  },

  'pulls/get': (env, ctx) => {
    const repo = repoOf(env, ctx);
    const pr = repo.pulls.find((p) => p.number === intParam(ctx, 'pull_number'));
    if (!pr) throw notFound();
    return { status: 200, body: shapes.pullRequest(env.shape, repo, pr) };
  },

  'repos/get-collaborator-permission-level': (env, ctx) => {
    const repo = repoOf(env, ctx);
    return { status: 200, body: shapes.collaboratorPermission(env.shape, repo, ctx.params.username ?? '') };
  },

  'reactions/create-for-issue-comment': (env, ctx) => {
    const repo = repoOf(env, ctx);
    const commentId = intParam(ctx, 'comment_id');
    if (!env.state.comments.some((c) => c.id === commentId && c.repo === repo.fullName)) throw notFound();
    const user = appLogin(env);
    const content = String(ctx.body.content);
    const existing = env.state.reactions.find((r) => r.commentId === commentId && r.user === user && r.content === content);
    if (existing) return { status: 200, body: shapes.reaction(env.shape, existing) };
    const reaction = { id: env.state.nextId('reaction'), repo: repo.fullName, commentId, content, user, createdAt: env.state.now() };
    env.state.reactions.push(reaction);
    return { status: 201, body: shapes.reaction(env.shape, reaction) };
  },

  'issues/create-comment': (env, ctx) => {
    const { repo, issueNumber } = issueOf(env, ctx);
    const comment = {
      id: env.state.nextId('comment'),
      repo: repo.fullName,
      issueNumber,
      body: String(ctx.body.body),
      user: appLogin(env),
      createdAt: env.state.now(),
      viaApp: true,
    };
    env.state.comments.push(comment);
    return { status: 201, body: shapes.issueComment(env.shape, comment) };
  },

  'issues/list-comments': (env, ctx) => {
    const { repo, issueNumber } = issueOf(env, ctx);
    const list = env.state.comments.filter((c) => c.repo === repo.fullName && c.issueNumber === issueNumber);
    const { page, headers } = paginate(ctx, list);
    return { status: 200, headers, body: page.map((c) => shapes.issueComment(env.shape, c)) };
  },

  'actions/list-self-hosted-runners-for-repo': (env, ctx) => {
    const repo = repoOf(env, ctx);
    const { page, headers } = paginate(ctx, repo.runners);
    return { status: 200, headers, body: { total_count: repo.runners.length, runners: page.map(shapes.runner) } };
  },

  'actions/list-self-hosted-runners-for-org': (env, ctx) => {
    // A personal account is no organization: GitHub answers 404.
    const account = env.state.installationAccount(ctx.installationId ?? -1);
    if (account?.type !== 'Organization') throw notFound();
    const runners = env.state.orgRunners.get((ctx.params.org ?? '').toLowerCase()) ?? [];
    const { page, headers } = paginate(ctx, runners);
    return { status: 200, headers, body: { total_count: runners.length, runners: page.map(shapes.runner) } };
  },
};

/** Builds an artifact's zip (what GitHub serves for `.../artifacts/{id}/zip`). */
export function zipFiles(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));
}
