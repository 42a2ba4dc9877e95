/** Users, repositories, pull requests, file contents and collaborator permissions in GitHub's JSON. */
import { specExample } from '../openapi-spec';
import type { RepoRecord, Permission, SeedPull } from '../records';
import { fakeSha } from '../state';
import { iso, nodeId, rehost, type Obj, type ShapeContext } from './base';

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

/** The pull requests whose head is this commit (what GitHub lists on check runs and workflow runs). */
export function pullsForSha(ctx: ShapeContext, repo: RepoRecord, sha: string): Obj[] {
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

export function pullId(repo: RepoRecord, p: SeedPull): number {
  return repo.id * 1000 + p.number;
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
