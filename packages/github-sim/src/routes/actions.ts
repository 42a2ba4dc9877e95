/** Actions: workflows and their dispatch, runs, jobs, artifacts and self-hosted runners. */
import * as shapes from '../shapes';
import type { RepoRecord, WorkflowRunRecord } from '../records';
import { HttpError, intParam, notFound, paginate, q, repoOf, type Handler, type Reply, type RouteContext, type RouteEnv } from './context';

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

const jobOf = (env: RouteEnv, ctx: RouteContext) => ofRepoRun(env, ctx, (id) => env.state.job(id), 'job_id');
const artifactOf = (env: RouteEnv, ctx: RouteContext) => ofRepoRun(env, ctx, (id) => env.state.artifact(id), 'artifact_id');

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

export const actionsRoutes: Record<string, Handler> = {
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
