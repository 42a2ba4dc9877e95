import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { decidePullRequest } from '../core/triggers';
import { dispatchesOfRef } from '../store/dispatches';
import { approvalOf, holdReason, notCoveredBy, trustOf } from './approval';
import { configuredRepo } from './configured-repo';
import { loadRepoConfig } from './repo-config';
import { repoRef, type WorkerDeps } from './deps';
import { ignored } from './outcome';
import { startTargets } from './start-run';
import { IN_FLIGHT, cancelSuperseded, stopAll } from './supersede';

type PullRequestPayload = EmitterWebhookEvent<'pull_request'>['payload'];

export async function onPullRequest(deps: WorkerDeps, deliveryId: string, payload: PullRequestPayload): Promise<void> {
  const repo = repoRef(payload);
  if (!repo) return;
  const pr = payload.pull_request;
  if (payload.action === 'closed') {
    await onClosed(deps, payload);
    return;
  }
  if (!['opened', 'synchronize', 'reopened'].includes(payload.action)) {
    ignored(deps, `pull_request.${payload.action} does not start a run`, { pr: pr.number });
    return;
  }
  const ready = await configuredRepo(deps, repo, { sha: pr.head.sha, deliveryId });
  if (!ready) return;
  const { gh, config } = ready;
  const decision = decidePullRequest(
    { action: payload.action, number: pr.number, head: { sha: pr.head.sha, ref: pr.head.ref }, state: pr.state, draft: pr.draft },
    config,
  );
  if (decision.dispatch) {
    // Self-hosted runners execute the PR's code: outsiders wait for a maintainer's /ok-to-test.
    const trust = await trustOf(deps, gh, repo, config, {
      number: pr.number,
      headSha: decision.sha,
      base_repo_full_name: pr.base.repo.full_name,
      head_repo_full_name: pr.head.repo?.full_name ?? null,
      author_login: pr.user?.login ?? '',
      author_association: pr.author_association,
    });
    // An approval covers its commit wherever it shows up again (a reopened pull request).
    const held = !trust.trusted && !(await approvalOf(deps, repo.fullName, decision.sha));
    // Say so when an earlier /ok-to-test on this pull request does not cover the new head.
    const more = held ? await notCoveredBy(deps, { repo: repo.fullName, pr: pr.number, sha: decision.sha, pushedAt: pr.updated_at }) : [];
    await startTargets(deps, gh, {
      repo,
      config,
      sha: decision.sha,
      branch: decision.branch,
      pr: decision.pr,
      trigger: 'pull_request',
      actor: payload.sender?.login ?? pr.user?.login ?? null,
      deliveryId,
      claimKey: `run:${decision.sha}`,
      prBase: pr.base.ref,
      ...(held ? { hold: holdReason(trust, config.commands.min_permission, more) } : {}),
    });
  } else {
    ignored(deps, decision.reason, { pr: pr.number });
  }
  // The commit this push replaced is moot on this pull request, whether or not the new one runs.
  if (payload.action === 'synchronize' && typeof payload.before === 'string') {
    await cancelSuperseded(deps, gh, { repo, config, ref: { pr: pr.number }, oldSha: payload.before, newSha: pr.head.sha });
  }
}

/** A closed (or merged) pull request's runs in flight help nobody: stop them (cancel_superseded). */
async function onClosed(deps: WorkerDeps, payload: PullRequestPayload): Promise<void> {
  const repo = repoRef(payload);
  if (!repo) return;
  const pr = payload.pull_request;
  // The store first: most pull requests close with nothing in flight, and then no API call is needed.
  const inFlight = (await dispatchesOfRef(deps.store, repo.fullName, { pr: pr.number }, 50)).filter((d) =>
    IN_FLIGHT.includes(d.state),
  );
  if (inFlight.length === 0) return;
  const gh = await deps.github.forInstallation(repo.installationId);
  const cfg = await loadRepoConfig(gh, repo);
  if (cfg.kind !== 'ok' || !cfg.config.cancel_superseded) return;
  const how = pr.merged ? 'merged' : 'closed';
  await stopAll(deps, gh, inFlight, () => `Pull request #${pr.number} was ${how}${payload.sender ? ` by @${payload.sender.login}` : ''}, so this run was cancelled.`);
}
