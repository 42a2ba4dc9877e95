/**
 * GitHub's "Re-run" on one of our check runs (`check_run.rerequested`) and our own "Re-run arm64"
 * button (`check_run.requested_action`): both run that check run's dispatch again. GitHub sends
 * these only to the App that created the check run, and only people with write access see them.
 */
import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { getDispatch } from '../store/dispatches';
import { reportInvalidConfig } from './config-problems';
import { repoRef, type WorkerDeps } from './deps';
import { rerunDispatch } from './redispatch';
import { loadRepoConfig } from './repo-config';
import { RERUN_ACTION_ID } from './rerun-action';
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
  const gh = await deps.github.forInstallation(repo.installationId);
  const cfg = await loadRepoConfig(gh, repo);
  if (cfg.kind === 'missing') return;
  if (cfg.kind === 'invalid') {
    await reportInvalidConfig(deps, gh, { repo, sha: source.sha, problems: cfg.problems, deliveryId });
    return;
  }
  const result = await rerunDispatch(deps, gh, {
    repo,
    config: cfg.config,
    source,
    actor: payload.sender?.login ?? null,
    deliveryId,
    claimKey: `rerun:${source.dispatchId}`,
    via: payload.action === 'requested_action' ? 'the "Re-run arm64" button' : 'GitHub\'s "Re-run" button',
  });
  deps.log.info('re-run requested', { repo: repo.fullName, source: source.dispatchId, result: result.kind, dispatchId: result.dispatch?.dispatchId });
}
