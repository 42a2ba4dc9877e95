/**
 * GitHub's "Re-run" on one of our check runs (`check_run.rerequested`) and our own "Re-run arm64"
 * button (`check_run.requested_action`): both run that check run's dispatch again. GitHub sends
 * these only to the App that created the check run, and only people with write access see them.
 */
import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { getDispatch } from '../store/dispatches';
import { repoRef, type WorkerDeps } from './deps';
import { RERUN_ACTION_ID } from './rerun-action';
import { rerunFromButton } from './rerun-buttons';
import { ignored } from './outcome';

type CheckRunPayload = EmitterWebhookEvent<'check_run'>['payload'];

export async function onCheckRun(deps: WorkerDeps, deliveryId: string, payload: CheckRunPayload): Promise<void> {
  if (payload.action !== 'rerequested' && payload.action !== 'requested_action') return;
  if (payload.action === 'requested_action' && payload.requested_action?.identifier !== RERUN_ACTION_ID) return;
  const repo = repoRef(payload);
  if (!repo) return;
  const cr = payload.check_run;
  // Our check runs carry their dispatch id as external_id; anything else is not ours to re-run
  // (a config-error check run is fixed by fixing the file and pushing).
  const source = cr.external_id ? await getDispatch(deps.store, repo.fullName, cr.external_id) : null;
  if (!source || source.sha !== cr.head_sha) {
    ignored(deps, 're-run of a check run this app did not create for this commit', { checkRunId: cr.id, externalId: cr.external_id });
    return;
  }
  await rerunFromButton(deps, {
    repo,
    sha: source.sha,
    sources: [source],
    actor: payload.sender?.login ?? null,
    deliveryId,
    via: payload.action === 'requested_action' ? 'the "Re-run arm64" button' : 'GitHub\'s "Re-run" button',
  });
}
