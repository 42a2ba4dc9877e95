/**
 * GitHub's merge queue (`merge_group.checks_requested`): the queue made a temporary commit of the
 * base branch with the pull request(s) merged in, and waits for the required checks on it. It is
 * checked like a push of that commit, on every target, with check runs on `merge_group.head_sha`,
 * so a required `arm64 CI (…)` check gates the queue as it gates pull requests.
 *
 * No trust gate: only someone with write access can add a pull request to the queue. No push
 * trigger filter either: a repository that requires the check must get it, whatever `triggers.push` says.
 */
import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { configuredRepo } from './configured-repo';
import { repoRef, type WorkerDeps } from './deps';
import { startTargets } from './start-run';

type MergeGroupPayload = EmitterWebhookEvent<'merge_group'>['payload'];

export async function onMergeGroup(deps: WorkerDeps, deliveryId: string, payload: MergeGroupPayload): Promise<void> {
  if (payload.action !== 'checks_requested') return;
  const repo = repoRef(payload);
  if (!repo) return;
  const sha = payload.merge_group.head_sha;
  const ready = await configuredRepo(deps, repo, { sha, deliveryId });
  if (!ready) return;
  await startTargets(deps, ready.gh, {
    repo,
    config: ready.config,
    sha,
    // `gh-readonly-queue/main/pr-104-…`: the queue's own branch, which shows where the run came from.
    branch: payload.merge_group.head_ref.replace(/^refs\/heads\//, ''),
    pr: null,
    // The queue's target branch (`release/1.x` for its own queue): what the run is compared with.
    prBase: payload.merge_group.base_ref.replace(/^refs\/heads\//, ''),
    trigger: 'merge_group',
    actor: payload.sender?.login ?? null,
    deliveryId,
    claimKey: `run:${sha}`,
  });
}
