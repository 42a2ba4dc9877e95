import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { decidePush } from '../core/triggers';
import { configuredRepo } from './configured-repo';
import { repoRef, type WorkerDeps } from './deps';
import { ignored } from './outcome';
import { startTargets } from './start-run';
import { cancelSuperseded } from './supersede';

type PushPayload = EmitterWebhookEvent<'push'>['payload'];

const ZERO_SHA = /^0{40}$/;

export async function onPush(deps: WorkerDeps, deliveryId: string, payload: PushPayload): Promise<void> {
  const repo = repoRef(payload);
  if (!repo) return;
  // Decided before any API call: tag pushes and branch deletions never need the config.
  if (!payload.ref.startsWith('refs/heads/') || payload.deleted || ZERO_SHA.test(payload.after)) {
    ignored(deps, payload.ref.startsWith('refs/heads/') ? `branch ${payload.ref.slice('refs/heads/'.length)} was deleted` : `${payload.ref} is not a branch`, { ref: payload.ref });
    return;
  }
  const ready = await configuredRepo(deps, repo, { sha: payload.after, deliveryId });
  if (!ready) return;
  const { gh, config } = ready;
  const decision = decidePush({ ref: payload.ref, after: payload.after, deleted: payload.deleted }, config);
  if (decision.dispatch) {
    await startTargets(deps, gh, {
      repo,
      config,
      sha: decision.sha,
      branch: decision.branch,
      pr: null,
      trigger: 'push',
      actor: payload.sender?.login ?? payload.pusher?.name ?? null,
      deliveryId,
      claimKey: `run:${decision.sha}`,
    });
  } else {
    ignored(deps, decision.reason, { ref: payload.ref });
  }
  // The commit this push replaced on the branch is moot there (cancel_superseded), even when the
  // new one is not checked. `before` rather than "every other commit" keeps a late delivery of an
  // older push from cancelling the newer run.
  await cancelSuperseded(deps, gh, {
    repo,
    config,
    ref: { branch: payload.ref.slice('refs/heads/'.length) },
    oldSha: payload.before,
    newSha: payload.after,
  });
}
