/** Workflows, workflow runs, jobs, artifacts and runners in GitHub's JSON. */
import { specExample } from '../openapi-spec';
import type {
  ArtifactRecord,
  JobRecord,
  RepoRecord,
  RunnerRecord,
  WorkflowRecord,
  WorkflowRunRecord,
} from '../records';
import { fakeSha } from '../state';
import { iso, nodeId, type Obj, type ShapeContext } from './base';
import { checkSuiteId } from './checks';
import { pullsForSha, repository, user } from './repos';

function headCommit(run: WorkflowRunRecord): Obj {
  return {
    id: run.headSha,
    tree_id: fakeSha(`tree:${run.headSha}`),
    message: `Commit ${run.headSha.slice(0, 7)}`,
    timestamp: iso(run.createdAt),
    author: { name: 'Octo Cat', email: 'octocat@example.com' },
    committer: { name: 'GitHub', email: 'noreply@github.com' },
  };
}

export function workflowRun(ctx: ShapeContext, run: WorkflowRunRecord): Obj {
  const repo = ctx.state.repos.get(run.repo.toLowerCase());
  const api = `${ctx.apiBase}/repos/${run.repo}`;
  const base = specExample('workflow-run');
  const repoJson = repo ? minimalRepository(ctx, repo) : base.repository;
  const actor = user(ctx, run.actor);
  return {
    ...base,
    id: run.id,
    name: run.workflowName,
    node_id: nodeId('WorkflowRun', run.id),
    check_suite_id: checkSuiteId(run.headSha) + run.id,
    check_suite_node_id: nodeId('CheckSuite', run.id),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: `.github/workflows/${run.workflowFile}`,
    run_number: run.runNumber,
    event: run.event,
    display_title: run.displayTitle,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    url: `${api}/actions/runs/${run.id}`,
    html_url: `${ctx.htmlBase}/${run.repo}/actions/runs/${run.id}`,
    pull_requests: repo ? pullsForSha(ctx, repo, run.headSha) : [],
    created_at: iso(run.createdAt),
    updated_at: iso(run.updatedAt),
    actor,
    triggering_actor: actor,
    run_attempt: run.runAttempt,
    referenced_workflows: [],
    run_started_at: iso(run.runStartedAt),
    jobs_url: `${api}/actions/runs/${run.id}/jobs`,
    logs_url: `${api}/actions/runs/${run.id}/logs`,
    check_suite_url: `${api}/check-suites/${checkSuiteId(run.headSha) + run.id}`,
    artifacts_url: `${api}/actions/runs/${run.id}/artifacts`,
    cancel_url: `${api}/actions/runs/${run.id}/cancel`,
    rerun_url: `${api}/actions/runs/${run.id}/rerun`,
    previous_attempt_url: run.runAttempt > 1 ? `${api}/actions/runs/${run.id}/attempts/${run.runAttempt - 1}` : null,
    workflow_url: `${api}/actions/workflows/${run.workflowId}`,
    head_commit: headCommit(run),
    repository: repoJson,
    head_repository: repoJson,
  };
}

/** GitHub's `minimal-repository`: the repository object nested in workflow runs. */
function minimalRepository(ctx: ShapeContext, repo: RepoRecord): Obj {
  const full = repository(ctx, repo);
  const minimal = specExample('workflow-run').repository as Obj;
  const out: Obj = {};
  for (const key of Object.keys(minimal)) out[key] = full[key] ?? minimal[key];
  return out;
}

function jobSteps(job: JobRecord): Obj[] {
  if (job.status === 'queued' || job.status === 'waiting') return [];
  const started = iso(job.startedAt);
  const done = job.status === 'completed';
  return [
    { name: 'Set up job', status: 'completed', conclusion: 'success', number: 1, started_at: started, completed_at: started },
    {
      name: 'Run tests',
      status: done ? 'completed' : 'in_progress',
      conclusion: done ? job.conclusion : null,
      number: 2,
      started_at: started,
      completed_at: done ? iso(job.completedAt) : null,
    },
  ];
}

export function job(ctx: ShapeContext, run: WorkflowRunRecord, j: JobRecord): Obj {
  const api = `${ctx.apiBase}/repos/${run.repo}`;
  const base = specExample('job');
  return {
    ...base,
    id: j.id,
    run_id: run.id,
    run_url: `${api}/actions/runs/${run.id}`,
    run_attempt: run.runAttempt,
    node_id: nodeId('WorkflowJob', j.id),
    head_sha: run.headSha,
    head_branch: run.headBranch,
    url: `${api}/actions/jobs/${j.id}`,
    html_url: `${ctx.htmlBase}/${run.repo}/actions/runs/${run.id}/job/${j.id}`,
    status: j.status,
    conclusion: j.conclusion,
    created_at: iso(j.createdAt),
    // GitHub reports started_at = created_at while a job is still queued.
    started_at: iso(j.startedAt ?? j.createdAt),
    completed_at: iso(j.completedAt),
    name: j.name,
    steps: jobSteps(j),
    check_run_url: `${api}/check-runs/${j.id}`,
    labels: [...j.labels],
    runner_id: j.runnerId,
    runner_name: j.runnerName,
    runner_group_id: j.runnerName ? 1 : null,
    runner_group_name: j.runnerName ? 'Default' : null,
    workflow_name: run.workflowName,
  };
}

export function artifact(ctx: ShapeContext, run: WorkflowRunRecord, a: ArtifactRecord): Obj {
  const api = `${ctx.apiBase}/repos/${run.repo}`;
  const repo = ctx.state.repos.get(run.repo.toLowerCase());
  return {
    id: a.id,
    node_id: nodeId('Artifact', a.id),
    name: a.name,
    size_in_bytes: a.zip.byteLength,
    url: `${api}/actions/artifacts/${a.id}`,
    archive_download_url: `${api}/actions/artifacts/${a.id}/zip`,
    expired: ctx.state.now().getTime() >= a.expiresAt.getTime(),
    created_at: iso(a.createdAt),
    updated_at: iso(a.createdAt),
    expires_at: iso(a.expiresAt),
    digest: null,
    workflow_run: {
      id: run.id,
      repository_id: repo?.id ?? 0,
      head_repository_id: repo?.id ?? 0,
      head_branch: run.headBranch ?? '',
      head_sha: run.headSha,
    },
  };
}

export function workflow(ctx: ShapeContext, repo: RepoRecord, w: WorkflowRecord): Obj {
  const api = `${ctx.apiBase}/repos/${repo.fullName}`;
  return {
    id: w.id,
    node_id: nodeId('Workflow', w.id),
    name: w.name,
    path: w.path,
    state: w.state,
    created_at: iso(w.createdAt),
    updated_at: iso(w.createdAt),
    url: `${api}/actions/workflows/${w.id}`,
    html_url: `${ctx.htmlBase}/${repo.fullName}/blob/${repo.defaultBranch}/${w.path}`,
    badge_url: `${ctx.htmlBase}/${repo.fullName}/workflows/${encodeURIComponent(w.name)}/badge.svg`,
  };
}

/** GitHub's own labels for self-hosted runners are read-only; the rest are custom. */
const READ_ONLY_LABELS = new Set(['self-hosted', 'linux', 'windows', 'macos', 'x64', 'arm', 'arm64']);

export function runner(r: RunnerRecord): Obj {
  return {
    id: r.id,
    runner_group_id: 1,
    name: r.name,
    os: r.os,
    status: r.status,
    busy: r.busy,
    ephemeral: false,
    version: '2.330.0',
    labels: r.labels.map((name, i) => ({
      id: r.id * 100 + i,
      name,
      type: READ_ONLY_LABELS.has(name.toLowerCase()) ? 'read-only' : 'custom',
    })),
  };
}
