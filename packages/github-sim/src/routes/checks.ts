/** Check runs: create and update (annotations appended, the rest replaced), get, list for a ref, list annotations. */
import * as shapes from '../shapes';
import type { CheckRunRecord, Conclusion, RepoRecord } from '../records';
import { HttpError, intParam, notFound, paginate, q, repoOf, type Handler, type Obj, type RouteContext, type RouteEnv } from './context';

function parseDate(value: unknown): Date | undefined {
  return typeof value === 'string' ? new Date(value) : undefined;
}

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

export const checksRoutes: Record<string, Handler> = {
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
};
