import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { decidePush } from '../core/triggers';
import { upsertRepo } from '../store/repos';
import { reportInvalidConfig } from './config-problems';
import { repoRef, type WorkerDeps } from './deps';
import { loadRepoConfig } from './repo-config';
import { startRun } from './start-run';
import { cancelSuperseded } from './supersede';

type PushPayload = EmitterWebhookEvent<'push'>['payload'];

const ZERO_SHA = /^0{40}$/;

export async function onPush(deps: WorkerDeps, deliveryId: string, payload: PushPayload): Promise<void> {
  const repo = repoRef(payload);
  if (!repo) return;
  // Decided before any API call: tag pushes and branch deletions never need the config.
  if (!payload.ref.startsWith('refs/heads/') || payload.deleted || ZERO_SHA.test(payload.after)) {
    deps.log.debug('push ignored', { repo: repo.fullName, ref: payload.ref });
    return;
  }
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
    await reportInvalidConfig(deps, gh, { repo, sha: payload.after, problems: cfg.problems, deliveryId });
    return;
  }
  const decision = decidePush({ ref: payload.ref, after: payload.after, deleted: payload.deleted }, cfg.config);
  if (decision.dispatch) {
    await startRun(deps, gh, {
      repo,
      config: cfg.config,
      sha: decision.sha,
      branch: decision.branch,
      pr: null,
      trigger: 'push',
      actor: payload.sender?.login ?? payload.pusher?.name ?? null,
      deliveryId,
      claimKey: `run:${decision.sha}`,
    });
  } else {
    deps.log.debug('push not checked', { repo: repo.fullName, reason: decision.reason });
  }
  // The commit this push replaced on the branch is moot there (cancel_superseded), even when the
  // new one is not checked. `before` rather than "every other commit" keeps a late delivery of an
  // older push from cancelling the newer run.
  await cancelSuperseded(deps, gh, {
    repo,
    config: cfg.config,
    ref: { branch: payload.ref.slice('refs/heads/'.length) },
    oldSha: payload.before,
    newSha: payload.after,
  });
}
