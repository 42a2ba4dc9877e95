/**
 * Records → the JSON GitHub answers. Each shape starts from the example GitHub publishes in its
 * OpenAPI description (so every documented field is present) and overlays the stand-in's values.
 */
import { specExample } from './openapi-spec';
import type {
  ArtifactRecord,
  CheckRunRecord,
  CommentRecord,
  DeliveryRecord,
  JobRecord,
  Permission,
  ReactionRecord,
  RepoRecord,
  RunnerRecord,
  SeedPull,
  StandInState,
  WorkflowRecord,
  WorkflowRunRecord,
} from './state';
import { fakeSha } from './state';

export interface ShapeContext {
  state: StandInState;
  /** Base of `url` fields, e.g. http://127.0.0.1:4321 */
  apiBase: string;
  /** Base of `html_url` fields. */
  htmlBase: string;
}

type Obj = Record<string, any>;

/** GitHub's timestamp format: second precision, `Z`. */
export function iso(date: Date): string;
export function iso(date: Date | null): string | null;
export function iso(date: Date | null): string | null {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}

function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64');
}

/** Re-points an example's URLs and names at the stand-in. */
function rehost<T>(value: T, ctx: ShapeContext, replacements: Record<string, string> = {}): T {
  let text = JSON.stringify(value);
  for (const [from, to] of Object.entries(replacements)) text = text.split(from).join(to);
  text = text.split('https://api.github.com').join(ctx.apiBase).split('https://github.com').join(ctx.htmlBase);
  return JSON.parse(text) as T;
}

export function user(ctx: ShapeContext, login: string, type: 'User' | 'Organization' | 'Bot' = 'User'): Obj {
  // Bot logins carry brackets (`app[bot]`), which URLs must encode.
  const safe = encodeURIComponent(login);
  const api = `${ctx.apiBase}/users/${safe}`;
  return {
    login,
    id: ctx.state.userId(login),
    node_id: nodeId('User', login),
    avatar_url: `${ctx.htmlBase}/avatars/${safe}`,
    gravatar_id: '',
    url: api,
    html_url: `${ctx.htmlBase}/${safe}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** A repository that may not be seeded (a fork's head repository): synthesized from its name. */
function repoLike(ctx: ShapeContext, fullName: string): RepoRecord {
  const seeded = ctx.state.repos.get(fullName.toLowerCase());
  if (seeded) return seeded;
  const [owner = 'unknown', name = 'unknown'] = fullName.split('/');
  return {
    id: Number.parseInt(fakeSha(fullName).slice(0, 7), 16),
    owner,
    ownerId: ctx.state.userId(owner),
    ownerType: 'User',
    name,
    fullName,
    private: false,
    defaultBranch: 'main',
    installationId: 0,
    files: {},
    filesAt: {},
    workflows: [],
    branches: {},
    collaborators: {},
    pulls: [],
    runners: [],
    createdAt: new Date(0),
  };
}

export function repository(ctx: ShapeContext, repo: RepoRecord, opts: { fork?: boolean } = {}): Obj {
  const base = rehost(specExample('full-repository-default-response'), ctx, {
    'octocat/Hello-World': repo.fullName,
  });
  delete base.parent;
  delete base.source;
  delete base.template_repository;
  const owner = user(ctx, repo.owner, repo.ownerType);
  return {
    ...base,
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: repo.fullName,
    owner,
    organization: repo.ownerType === 'Organization' ? owner : null,
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    fork: opts.fork ?? false,
    default_branch: repo.defaultBranch,
    description: null,
    homepage: null,
    language: null,
    created_at: iso(repo.createdAt),
    updated_at: iso(repo.createdAt),
    pushed_at: iso(repo.createdAt),
    archived: false,
    disabled: false,
  };
}

export function integration(ctx: ShapeContext): Obj | null {
  const app = ctx.state.app;
  if (!app) return null;
  const base = rehost(specExample('integration'), ctx, { octoapp: app.slug });
  return {
    ...base,
    id: app.id,
    slug: app.slug,
    name: app.name,
    node_id: nodeId('Integration', app.id),
    html_url: `${ctx.htmlBase}/apps/${app.slug}`,
    ...(app.owner ? { owner: user(ctx, app.owner.login, app.owner.type) } : {}),
    ...(app.clientId ? { client_id: app.clientId } : {}),
    permissions: app.permissions ?? {
      actions: 'write',
      checks: 'write',
      contents: 'read',
      metadata: 'read',
      pull_requests: 'write',
      issues: 'write',
      administration: 'read',
    },
    events: app.events ?? ['check_run', 'issue_comment', 'pull_request', 'push', 'workflow_job', 'workflow_run'],
  };
}

/** `GET /app/hook/config`: GitHub never shows the secret, only that there is one. */
export function webhookConfig(ctx: ShapeContext): Obj {
  const hook = ctx.state.app?.hook;
  return {
    content_type: 'json',
    insecure_ssl: '0',
    ...(hook ? { url: hook.url } : {}),
    ...(hook?.secret ? { secret: '********' } : {}),
  };
}

/** The pull requests whose head is this commit (what GitHub lists on check runs and workflow runs). */
function pullsForSha(ctx: ShapeContext, repo: RepoRecord, sha: string): Obj[] {
  const api = `${ctx.apiBase}/repos/${repo.fullName}`;
  return repo.pulls
    .filter((p) => p.headSha === sha && (p.state ?? 'open') === 'open' && (!p.headRepo || p.headRepo === repo.fullName))
    .map((p) => ({
      url: `${api}/pulls/${p.number}`,
      id: pullId(repo, p),
      number: p.number,
      head: { ref: p.headRef ?? `pr-${p.number}`, sha: p.headSha, repo: { id: repo.id, url: api, name: repo.name } },
      base: {
        ref: p.baseRef ?? repo.defaultBranch,
        sha: repo.branches[p.baseRef ?? repo.defaultBranch] ?? fakeSha(`${repo.fullName}@base`),
        repo: { id: repo.id, url: api, name: repo.name },
      },
    }));
}

function pullId(repo: RepoRecord, p: SeedPull): number {
  return repo.id * 1000 + p.number;
}

export function checkRun(ctx: ShapeContext, c: CheckRunRecord): Obj {
  const repo = ctx.state.repos.get(c.repo.toLowerCase());
  const api = `${ctx.apiBase}/repos/${c.repo}`;
  const base = rehost(specExample('check-run'), ctx, { 'github/hello-world': c.repo });
  return {
    ...base,
    id: c.id,
    node_id: nodeId('CheckRun', c.id),
    head_sha: c.headSha,
    external_id: c.externalId ?? '',
    url: `${api}/check-runs/${c.id}`,
    html_url: `${ctx.htmlBase}/${c.repo}/runs/${c.id}`,
    details_url: c.detailsUrl ?? `${ctx.htmlBase}/${c.repo}/runs/${c.id}`,
    status: c.status,
    conclusion: c.conclusion,
    started_at: iso(c.startedAt),
    completed_at: iso(c.completedAt),
    output: {
      title: c.output.title,
      summary: c.output.summary,
      text: c.output.text,
      annotations_count: c.annotations.length,
      annotations_url: `${api}/check-runs/${c.id}/annotations`,
    },
    name: c.name,
    check_suite: { id: checkSuiteId(c.headSha) },
    app: integration(ctx),
    pull_requests: repo ? pullsForSha(ctx, repo, c.headSha) : [],
  };
}

/** One check suite per commit, like the App's own suite on GitHub. */
export function checkSuiteId(sha: string): number {
  return Number.parseInt(sha.slice(0, 8), 16) || 1;
}

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

export function pullRequest(ctx: ShapeContext, repo: RepoRecord, p: SeedPull): Obj {
  const base = rehost(specExample('pull-request'), ctx, { 'octocat/Hello-World': repo.fullName });
  const api = `${ctx.apiBase}/repos/${repo.fullName}`;
  const html = `${ctx.htmlBase}/${repo.fullName}/pull/${p.number}`;
  const headFull = p.headRepo ?? repo.fullName;
  const headRepo = repoLike(ctx, headFull);
  const author = p.user ?? 'octocat';
  const baseRef = p.baseRef ?? repo.defaultBranch;
  const headRef = p.headRef ?? `pr-${p.number}`;
  const state = p.state ?? 'open';
  return {
    ...base,
    url: `${api}/pulls/${p.number}`,
    id: pullId(repo, p),
    node_id: nodeId('PullRequest', pullId(repo, p)),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${p.number}`,
    commits_url: `${api}/pulls/${p.number}/commits`,
    review_comments_url: `${api}/pulls/${p.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${p.number}/comments`,
    statuses_url: `${api}/statuses/${p.headSha}`,
    number: p.number,
    state,
    locked: false,
    title: p.title ?? `Pull request #${p.number}`,
    user: user(ctx, author),
    body: p.body ?? null,
    labels: [],
    milestone: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    closed_at: state === 'closed' ? iso(ctx.state.now()) : null,
    merged_at: p.merged ? iso(ctx.state.now()) : null,
    merge_commit_sha: null,
    head: {
      label: `${headRepo.owner}:${headRef}`,
      ref: headRef,
      sha: p.headSha,
      user: user(ctx, headRepo.owner, headRepo.ownerType),
      repo: repository(ctx, headRepo, { fork: headFull !== repo.fullName }),
    },
    base: {
      label: `${repo.owner}:${baseRef}`,
      ref: baseRef,
      sha: repo.branches[baseRef] ?? fakeSha(`${repo.fullName}@${baseRef}`),
      user: user(ctx, repo.owner, repo.ownerType),
      repo: repository(ctx, repo),
    },
    author_association: p.authorAssociation ?? (author === repo.owner ? 'OWNER' : 'CONTRIBUTOR'),
    auto_merge: null,
    active_lock_reason: null,
    draft: p.draft ?? false,
    merged: p.merged ?? false,
    mergeable: true,
    rebaseable: true,
    mergeable_state: 'clean',
    merged_by: null,
    created_at: iso(repo.createdAt),
    updated_at: iso(ctx.state.now()),
  };
}

export function issueComment(ctx: ShapeContext, c: CommentRecord, authorAssociation = 'NONE'): Obj {
  const api = `${ctx.apiBase}/repos/${c.repo}`;
  const base = rehost(specExample('issue-comment'), ctx, { 'octocat/Hello-World': c.repo });
  const app = ctx.state.app;
  const bot = app && c.user === `${app.slug}[bot]`;
  return {
    ...base,
    id: c.id,
    node_id: nodeId('IssueComment', c.id),
    url: `${api}/issues/comments/${c.id}`,
    html_url: `${ctx.htmlBase}/${c.repo}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${api}/issues/${c.issueNumber}`,
    body: c.body,
    user: user(ctx, c.user, bot ? 'Bot' : 'User'),
    created_at: iso(c.createdAt),
    updated_at: iso(c.createdAt),
    author_association: authorAssociation,
    performed_via_github_app: bot ? integration(ctx) : null,
    reactions: reactionRollup(ctx, `${api}/issues/comments/${c.id}/reactions`, c.id),
  };
}

const REACTIONS = ['+1', '-1', 'laugh', 'hooray', 'confused', 'heart', 'rocket', 'eyes'] as const;

/** GitHub's reaction counts; `commentId` undefined → an issue, whose reactions the stand-in does not track. */
export function reactionRollup(ctx: ShapeContext, url: string, commentId?: number): Obj {
  const mine = commentId === undefined ? [] : ctx.state.reactions.filter((r) => r.commentId === commentId);
  const out: Obj = { url, total_count: mine.length };
  for (const name of REACTIONS) out[name] = mine.filter((r) => r.content === name).length;
  return out;
}

export function reaction(ctx: ShapeContext, r: ReactionRecord): Obj {
  const app = ctx.state.app;
  return {
    id: r.id,
    node_id: nodeId('Reaction', r.id),
    user: user(ctx, r.user, app && r.user === `${app.slug}[bot]` ? 'Bot' : 'User'),
    content: r.content,
    created_at: iso(r.createdAt),
  };
}

export function contentFile(ctx: ShapeContext, repo: RepoRecord, path: string, content: string, ref: string): Obj {
  const sha = fakeSha(`blob:${content}`);
  const api = `${ctx.apiBase}/repos/${repo.fullName}`;
  const url = `${api}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const html = `${ctx.htmlBase}/${repo.fullName}/blob/${ref}/${path}`;
  const git = `${api}/git/blobs/${sha}`;
  // GitHub wraps base64 at 60 columns; clients must tolerate the newlines.
  const encoded = (Buffer.from(content, 'utf8').toString('base64').match(/.{1,60}/g) ?? []).join('\n');
  return {
    type: 'file',
    encoding: 'base64',
    size: Buffer.byteLength(content, 'utf8'),
    name: path.split('/').pop() ?? path,
    path,
    content: encoded ? `${encoded}\n` : '',
    sha,
    url,
    git_url: git,
    html_url: html,
    download_url: `${ctx.apiBase}/_standin/raw/${repo.fullName}/${encodeURIComponent(ref)}/${path}`,
    _links: { git, self: url, html },
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

export function hookDeliveryItem(d: DeliveryRecord): Obj {
  return {
    id: d.id,
    guid: d.guid,
    delivered_at: iso(d.deliveredAt),
    redelivery: d.redelivery,
    duration: d.duration,
    status: d.status,
    status_code: d.statusCode,
    event: d.event,
    action: d.action,
    installation_id: d.installationId,
    repository_id: d.repositoryId,
    throttled_at: null,
  };
}

/** GitHub's legacy `permission` collapses maintain→write and triage→read; `role_name` keeps the role. */
export function collaboratorPermission(ctx: ShapeContext, repo: RepoRecord, login: string): Obj {
  const seeded = Object.entries(repo.collaborators).find(([l]) => l.toLowerCase() === login.toLowerCase());
  const role: Permission = seeded ? seeded[1] : repo.private ? 'none' : 'read';
  const legacy = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
  const u = user(ctx, seeded?.[0] ?? login);
  return {
    permission: legacy,
    role_name: role,
    user: {
      ...u,
      permissions: {
        admin: role === 'admin',
        maintain: role === 'admin' || role === 'maintain',
        push: ['admin', 'maintain', 'write'].includes(role),
        triage: ['admin', 'maintain', 'write', 'triage'].includes(role),
        pull: role !== 'none',
      },
      role_name: role,
    },
  };
}

export function installation(ctx: ShapeContext, installationId: number): Obj | undefined {
  const account = ctx.state.installationAccount(installationId);
  if (!account) return undefined;
  const app = ctx.state.app;
  const base = rehost(specExample('installation'), ctx);
  return {
    ...base,
    id: installationId,
    account: user(ctx, account.login, account.type),
    repository_selection: 'selected',
    access_tokens_url: `${ctx.apiBase}/app/installations/${installationId}/access_tokens`,
    repositories_url: `${ctx.apiBase}/installation/repositories`,
    html_url: `${ctx.htmlBase}/organizations/${account.login}/settings/installations/${installationId}`,
    app_id: app?.id ?? 0,
    app_slug: app?.slug ?? 'app',
    target_id: account.id,
    target_type: account.type,
    permissions: integration(ctx)?.permissions ?? {},
    events: integration(ctx)?.events ?? [],
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_at: null,
    suspended_by: null,
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
