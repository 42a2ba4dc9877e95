import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { decidePullRequest } from '../core/triggers';
import { decideTrust } from '../core/trust';
import { upsertRepo } from '../store/repos';
import { reportInvalidConfig } from './config-problems';
import { repoRef, type WorkerDeps } from './deps';
import { loadRepoConfig } from './repo-config';
import { startRun } from './start-run';

type PullRequestPayload = EmitterWebhookEvent<'pull_request'>['payload'];

export async function onPullRequest(deps: WorkerDeps, deliveryId: string, payload: PullRequestPayload): Promise<void> {
  const repo = repoRef(payload);
  if (!repo) return;
  const pr = payload.pull_request;
  if (!['opened', 'synchronize', 'reopened'].includes(payload.action)) return;
  await upsertRepo(deps.store, {
    repo: repo.fullName,
    private: repo.private,
    defaultBranch: repo.defaultBranch,
    installationId: repo.installationId,
    now: deps.now(),
  });
  const gh = await deps.github.forInstallation(repo.installationId);
  const cfg = await loadRepoConfig(gh, repo);
  if (cfg.kind === 'missing') return;
  if (cfg.kind === 'invalid') {
    await reportInvalidConfig(deps, gh, { repo, sha: pr.head.sha, problems: cfg.problems, deliveryId });
    return;
  }
  const decision = decidePullRequest(
    { action: payload.action, number: pr.number, head: { sha: pr.head.sha, ref: pr.head.ref }, state: pr.state, draft: pr.draft },
    cfg.config,
  );
  if (!decision.dispatch) return;
  // Self-hosted runners execute the PR's code: outsiders wait for a maintainer's /ok-to-test.
  const trust = decideTrust(
    {
      base_repo_full_name: pr.base.repo.full_name,
      head_repo_full_name: pr.head.repo?.full_name ?? null,
      author_login: pr.user?.login ?? '',
      author_association: pr.author_association,
    },
    cfg.config,
  );
  await startRun(deps, gh, {
    repo,
    config: cfg.config,
    sha: decision.sha,
    branch: decision.branch,
    pr: decision.pr,
    trigger: 'pull_request',
    actor: payload.sender?.login ?? pr.user?.login ?? null,
    deliveryId,
    claimKey: `run:${decision.sha}`,
    ...(trust.trusted
      ? {}
      : {
          hold: `Waiting for /ok-to-test: ${trust.reason}. A maintainer with write access can comment \`/ok-to-test\` to run this commit on the self-hosted runners.`,
        }),
  });
}
