/**
 * Event builders: webhook payloads that start from GitHub's examples (`webhook-examples.ts`) and
 * carry the stand-in's state in GitHub's shapes, ready for `signAndDeliver`.
 */
import * as shapes from './shapes';
import type { ShapeContext } from './shapes';
import type { WebhookEvent } from './sign-and-deliver';
import type { CheckRunRecord, JobRecord, RepoRecord, SeedPull, WorkflowRunRecord } from './records';
import { fakeSha } from './state';
import { baseExample } from './webhook-examples';

type Obj = Record<string, any>;

/** Webhook repositories carry no `organization` (the payload has its own top-level one). */
function webhookRepo(repo: Obj): Obj {
  const { organization: _org, ...out } = repo;
  return out;
}

export interface EventBuilders {
  pushEvent(
    repo: RepoRecord | string,
    opts: { ref: string; after: string; before?: string; deleted?: boolean; created?: boolean; forced?: boolean; sender?: string },
  ): WebhookEvent;
  pullRequestEvent(
    repo: RepoRecord | string,
    action: string,
    pr: SeedPull | number,
    opts?: { before?: string; sender?: string },
  ): WebhookEvent;
  issueCommentEvent(
    repo: RepoRecord | string,
    opts: {
      action?: 'created' | 'edited' | 'deleted';
      pr: SeedPull | number;
      body: string;
      user: string;
      userType?: 'User' | 'Bot';
      authorAssociation?: string;
      /** Reuse a comment id (for edited/deleted); otherwise a new comment is recorded in the state. */
      commentId?: number;
    },
  ): WebhookEvent;
  workflowRunEvent(run: WorkflowRunRecord | number, action: 'requested' | 'in_progress' | 'completed'): WebhookEvent;
  workflowJobEvent(job: JobRecord | number, action: 'queued' | 'waiting' | 'in_progress' | 'completed'): WebhookEvent;
  checkRunEvent(
    checkRun: CheckRunRecord | number,
    action: 'created' | 'completed' | 'rerequested' | 'requested_action',
    opts?: { requestedAction?: string; sender?: string },
  ): WebhookEvent;
  /** The App's check suite of a commit (one per commit, like GitHub's suite for an App). */
  checkSuiteEvent(
    repo: RepoRecord | string,
    action: 'completed' | 'requested' | 'rerequested',
    opts: { headSha: string; sender?: string },
  ): WebhookEvent;
  installationEvent(
    action: 'created' | 'deleted' | 'suspend' | 'unsuspend' | 'new_permissions_accepted',
    opts: { installationId: number; sender?: string },
  ): WebhookEvent;
  installationRepositoriesEvent(
    action: 'added' | 'removed',
    opts: { installationId: number; repos: (RepoRecord | string)[]; sender?: string },
  ): WebhookEvent;
  /**
   * The merge queue asks for checks of its temporary commit (`checks_requested`): `headSha` on
   * `gh-readonly-queue/<base>/pr-<n>-<base sha>`, made from pull request `pr` over `baseSha`.
   */
  mergeGroupEvent(
    repo: RepoRecord | string,
    opts: { headSha: string; pr: number; base?: string; baseSha?: string; action?: 'checks_requested' | 'destroyed'; sender?: string },
  ): WebhookEvent;
  /** A visibility change, with the repository as it now is (set `private` on the record first). */
  repositoryEvent(repo: RepoRecord | string, action: 'privatized' | 'publicized', opts?: { sender?: string }): WebhookEvent;
}

/** Event builders bound to a stand-in's state (and its URLs). They read state; only comments are recorded. */
export function eventBuilders(ctx: ShapeContext): EventBuilders {
  const { state } = ctx;
  const repoOf = (r: RepoRecord | string): RepoRecord => {
    if (typeof r !== 'string') return r;
    const [owner = '', name = ''] = r.split('/');
    return state.requireRepo(owner, name);
  };
  const pullOf = (repo: RepoRecord, pr: SeedPull | number): SeedPull => {
    if (typeof pr !== 'number') return pr;
    const found = repo.pulls.find((p) => p.number === pr);
    if (!found) throw new Error(`stand-in: pull request #${pr} is not seeded in ${repo.fullName}`);
    return found;
  };
  /** The fields every repository event carries. */
  const common = (repo: RepoRecord, sender: string, senderType: 'User' | 'Bot' | 'Organization' = 'User'): Obj => {
    const out: Obj = {
      repository: webhookRepo(shapes.repository(ctx, repo)),
      installation: { id: repo.installationId, node_id: Buffer.from(`Installation:${repo.installationId}`).toString('base64') },
      sender: shapes.user(ctx, sender, senderType),
    };
    if (repo.ownerType === 'Organization') {
      const org = shapes.user(ctx, repo.owner, 'Organization');
      out.organization = {
        login: org.login,
        id: org.id,
        node_id: org.node_id,
        url: `${ctx.apiBase}/orgs/${repo.owner}`,
        repos_url: `${ctx.apiBase}/orgs/${repo.owner}/repos`,
        events_url: `${ctx.apiBase}/orgs/${repo.owner}/events`,
        hooks_url: `${ctx.apiBase}/orgs/${repo.owner}/hooks`,
        issues_url: `${ctx.apiBase}/orgs/${repo.owner}/issues`,
        members_url: `${ctx.apiBase}/orgs/${repo.owner}/members{/member}`,
        public_members_url: `${ctx.apiBase}/orgs/${repo.owner}/public_members{/member}`,
        avatar_url: org.avatar_url,
        description: null,
      };
    }
    return out;
  };
  const runOf = (r: WorkflowRunRecord | number): WorkflowRunRecord => {
    if (typeof r !== 'number') return r;
    const run = state.run(r);
    if (!run) throw new Error(`stand-in: no workflow run ${r}`);
    return run;
  };
  const repoOfRun = (run: WorkflowRunRecord) => repoOf(run.repo);

  return {
    pushEvent(r, opts) {
      const repo = repoOf(r);
      const ref = opts.ref.startsWith('refs/') ? opts.ref : `refs/heads/${opts.ref}`;
      const sender = opts.sender ?? repo.owner;
      const deleted = opts.deleted ?? /^0{40}$/.test(opts.after);
      const before = opts.before ?? fakeSha(`${repo.fullName}:${ref}:before:${opts.after}`);
      const created = opts.created ?? /^0{40}$/.test(before);
      const payload = baseExample('push');
      const commit = deleted
        ? null
        : {
            id: opts.after,
            tree_id: fakeSha(`tree:${opts.after}`),
            distinct: true,
            message: `Commit ${opts.after.slice(0, 7)}`,
            timestamp: shapes.iso(state.now()),
            url: `${ctx.htmlBase}/${repo.fullName}/commit/${opts.after}`,
            author: { name: sender, email: `${sender}@users.noreply.example`, username: sender },
            committer: { name: sender, email: `${sender}@users.noreply.example`, username: sender },
            added: [],
            removed: [],
            modified: [],
          };
      Object.assign(payload, {
        ref,
        before,
        after: opts.after,
        created,
        deleted,
        forced: opts.forced ?? false,
        base_ref: null,
        compare: `${ctx.htmlBase}/${repo.fullName}/compare/${before.slice(0, 12)}...${opts.after.slice(0, 12)}`,
        commits: commit ? [commit] : [],
        head_commit: commit,
        pusher: { name: sender, email: `${sender}@users.noreply.example` },
        ...common(repo, sender),
      });
      return { event: 'push', payload };
    },

    pullRequestEvent(r, action, pr, opts = {}) {
      const repo = repoOf(r);
      const pull = pullOf(repo, pr);
      const payload = baseExample('pull_request', action);
      const pullJson = shapes.pullRequest(ctx, repo, pull);
      pullJson.head.repo = webhookRepo(pullJson.head.repo);
      pullJson.base.repo = webhookRepo(pullJson.base.repo);
      const out: Obj = {
        action,
        number: pull.number,
        pull_request: pullJson,
        ...common(repo, opts.sender ?? pull.user ?? 'octocat'),
      };
      if (action === 'synchronize') {
        out.before = opts.before ?? fakeSha(`${repo.fullName}#${pull.number}:before:${pull.headSha}`);
        out.after = pull.headSha;
      } else {
        delete payload.before;
        delete payload.after;
      }
      return { event: 'pull_request', payload: Object.assign(payload, out) };
    },

    issueCommentEvent(r, opts) {
      const repo = repoOf(r);
      const pull = pullOf(repo, opts.pr);
      const action = opts.action ?? 'created';
      let comment = opts.commentId !== undefined ? state.comments.find((c) => c.id === opts.commentId) : undefined;
      if (!comment) {
        comment = {
          id: opts.commentId ?? state.nextId('comment'),
          repo: repo.fullName,
          issueNumber: pull.number,
          body: opts.body,
          user: opts.user,
          createdAt: state.now(),
          viaApp: false,
        };
        state.comments.push(comment);
      }
      comment.body = opts.body;
      const payload = baseExample('issue_comment', action);
      const api = `${ctx.apiBase}/repos/${repo.fullName}`;
      const pr = shapes.pullRequest(ctx, repo, pull);
      const association = opts.authorAssociation ?? 'NONE';
      const commentJson = shapes.issueComment(ctx, comment, association);
      commentJson.user = shapes.user(ctx, opts.user, opts.userType ?? 'User');
      Object.assign(payload, {
        action,
        issue: {
          ...payload.issue,
          url: `${api}/issues/${pull.number}`,
          repository_url: api,
          labels_url: `${api}/issues/${pull.number}/labels{/name}`,
          comments_url: `${api}/issues/${pull.number}/comments`,
          events_url: `${api}/issues/${pull.number}/events`,
          html_url: pr.html_url,
          id: pr.id,
          node_id: pr.node_id,
          number: pull.number,
          title: pr.title,
          user: pr.user,
          labels: [],
          state: pr.state,
          locked: false,
          active_lock_reason: null,
          assignee: null,
          assignees: [],
          milestone: null,
          author_association: pr.author_association,
          body: pr.body,
          draft: pr.draft,
          comments: state.comments.filter((c) => c.repo === repo.fullName && c.issueNumber === pull.number).length,
          created_at: pr.created_at,
          updated_at: pr.updated_at,
          closed_at: pr.closed_at,
          reactions: shapes.reactionRollup(ctx, `${api}/issues/${pull.number}/reactions`),
          timeline_url: `${api}/issues/${pull.number}/timeline`,
          performed_via_github_app: null,
          pull_request: {
            url: pr.url,
            html_url: pr.html_url,
            diff_url: pr.diff_url,
            patch_url: pr.patch_url,
            merged_at: pr.merged_at,
          },
        },
        comment: commentJson,
        ...common(repo, opts.user, opts.userType ?? 'User'),
      });
      if (action === 'edited') payload.changes ??= { body: { from: '' } };
      return { event: 'issue_comment', payload };
    },

    workflowRunEvent(r, action) {
      const run = runOf(r);
      const repo = repoOfRun(run);
      const payload = baseExample('workflow_run', action);
      const wf = repo.workflows.find((w) => w.id === run.workflowId);
      Object.assign(payload, {
        action,
        workflow_run: { ...payload.workflow_run, ...shapes.workflowRun(ctx, run) },
        workflow: wf ? shapes.workflow(ctx, repo, wf) : payload.workflow,
        ...common(repo, run.actor),
      });
      return { event: 'workflow_run', payload };
    },

    workflowJobEvent(j, action) {
      const found = typeof j === 'number' ? state.job(j) : state.job(j.id);
      if (!found) throw new Error(`stand-in: no workflow job ${typeof j === 'number' ? j : j.id}`);
      const repo = repoOfRun(found.run);
      const payload = baseExample('workflow_job', action);
      Object.assign(payload, {
        action,
        workflow_job: shapes.job(ctx, found.run, found.job),
        ...common(repo, found.run.actor),
      });
      delete payload.deployment;
      return { event: 'workflow_job', payload };
    },

    checkRunEvent(c, action, opts = {}) {
      const record = typeof c === 'number' ? state.checkRun(c) : c;
      if (!record) throw new Error(`stand-in: no check run ${String(c)}`);
      const repo = repoOf(record.repo);
      const payload = baseExample('check_run', action);
      const cr = shapes.checkRun(ctx, record);
      cr.check_suite = {
        ...(payload.check_run?.check_suite ?? {}),
        id: cr.check_suite.id,
        head_branch: Object.entries(repo.branches).find(([, sha]) => sha === record.headSha)?.[0] ?? null,
        head_sha: record.headSha,
        status: record.status,
        conclusion: record.conclusion,
        url: `${ctx.apiBase}/repos/${repo.fullName}/check-suites/${cr.check_suite.id}`,
        app: cr.app,
        pull_requests: cr.pull_requests,
      };
      Object.assign(payload, { action, check_run: cr, ...common(repo, opts.sender ?? repo.owner) });
      if (action === 'requested_action') payload.requested_action = { identifier: opts.requestedAction ?? '' };
      else delete payload.requested_action;
      return { event: 'check_run', payload };
    },

    mergeGroupEvent(r, opts) {
      const repo = repoOf(r);
      const action = opts.action ?? 'checks_requested';
      const payload = baseExample('merge_group', action);
      const base = opts.base ?? repo.defaultBranch;
      const baseSha = opts.baseSha ?? repo.branches[base] ?? fakeSha(`${repo.fullName}:${base}`);
      const sender = opts.sender ?? repo.owner;
      Object.assign(payload, {
        action,
        merge_group: {
          ...payload.merge_group,
          head_sha: opts.headSha,
          head_ref: `refs/heads/gh-readonly-queue/${base}/pr-${opts.pr}-${baseSha}`,
          base_sha: baseSha,
          base_ref: `refs/heads/${base}`,
          head_commit: {
            ...payload.merge_group.head_commit,
            id: opts.headSha,
            tree_id: fakeSha(`tree:${opts.headSha}`),
            message: `Merge pull request #${opts.pr}`,
            timestamp: shapes.iso(state.now()),
          },
        },
        ...common(repo, sender),
      });
      if (action === 'destroyed') payload.reason ??= 'merged';
      else delete payload.reason;
      return { event: 'merge_group', payload };
    },

    checkSuiteEvent(r, action, opts) {
      const repo = repoOf(r);
      const payload = baseExample('check_suite', action);
      const sha = opts.headSha.toLowerCase();
      const runs = state.checkRuns(repo.owner, repo.name).filter((c) => c.headSha === sha);
      const id = shapes.checkSuiteId(sha);
      // The suite's pull requests are the ones any of its check runs lists (same rule as check runs).
      const sample = runs[0] ? shapes.checkRun(ctx, runs[0]) : null;
      const done = runs.length > 0 && runs.every((c) => c.status === 'completed');
      Object.assign(payload, {
        action,
        check_suite: {
          ...payload.check_suite,
          id,
          node_id: Buffer.from(`CheckSuite:${id}`).toString('base64'),
          head_branch: Object.entries(repo.branches).find(([, head]) => head === sha)?.[0] ?? null,
          head_sha: sha,
          status: done ? 'completed' : runs.length > 0 ? 'in_progress' : 'queued',
          conclusion: done ? (runs.some((c) => c.conclusion === 'failure') ? 'failure' : 'success') : null,
          url: `${ctx.apiBase}/repos/${repo.fullName}/check-suites/${id}`,
          before: null,
          after: sha,
          pull_requests: sample?.pull_requests ?? [],
          app: shapes.integration(ctx) ?? payload.check_suite.app,
          latest_check_runs_count: runs.length,
          check_runs_url: `${ctx.apiBase}/repos/${repo.fullName}/check-suites/${id}/check-runs`,
          head_commit: {
            id: sha,
            tree_id: fakeSha(`tree:${sha}`),
            message: `Commit ${sha.slice(0, 7)}`,
            timestamp: shapes.iso(state.now()),
            author: { name: 'Octo Cat', email: 'octocat@example.com' },
            committer: { name: 'GitHub', email: 'noreply@github.com' },
          },
        },
        ...common(repo, opts.sender ?? repo.owner),
      });
      return { event: 'check_suite', payload };
    },

    installationEvent(action, opts) {
      const inst = shapes.installation(ctx, opts.installationId);
      if (!inst) throw new Error(`stand-in: installation ${opts.installationId} has no seeded repository`);
      const payload = baseExample('installation', action);
      const repos = state.installationRepos(opts.installationId);
      Object.assign(payload, {
        action,
        installation: inst,
        repositories: repos.map((r) => ({
          id: r.id,
          node_id: Buffer.from(`Repository:${r.id}`).toString('base64'),
          name: r.name,
          full_name: r.fullName,
          private: r.private,
        })),
        sender: shapes.user(ctx, opts.sender ?? inst.account.login),
      });
      delete payload.requester;
      return { event: 'installation', payload };
    },

    installationRepositoriesEvent(action, opts) {
      const inst = shapes.installation(ctx, opts.installationId);
      if (!inst) throw new Error(`stand-in: installation ${opts.installationId} has no seeded repository`);
      const payload = baseExample('installation_repositories', action);
      const list = opts.repos.map(repoOf).map((r) => ({
        id: r.id,
        node_id: Buffer.from(`Repository:${r.id}`).toString('base64'),
        name: r.name,
        full_name: r.fullName,
        private: r.private,
      }));
      Object.assign(payload, {
        action,
        installation: inst,
        repository_selection: 'selected',
        repositories_added: action === 'added' ? list : [],
        repositories_removed: action === 'removed' ? list : [],
        requester: null,
        sender: shapes.user(ctx, opts.sender ?? inst.account.login),
      });
      return { event: 'installation_repositories', payload };
    },

    repositoryEvent(r, action, opts = {}) {
      const repo = repoOf(r);
      const payload = baseExample('repository', action);
      Object.assign(payload, { action, ...common(repo, opts.sender ?? repo.owner) });
      return { event: 'repository', payload };
    },
  };
}
