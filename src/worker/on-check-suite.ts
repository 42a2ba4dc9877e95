/**
 * GitHub's "Re-run all checks" (`check_suite.rerequested`, sent only to the suite's App): runs
 * again the latest dispatch of the suite's commit on each branch or pull request it was run for.
 */
import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { dispatchesOfCommit, type DispatchItem } from '../store/dispatches';
import { reportInvalidConfig } from './config-problems';
import { repoRef, type WorkerDeps } from './deps';
import { rerunDispatch } from './redispatch';
import { loadRepoConfig } from './repo-config';
import { ignored } from './outcome';

type CheckSuitePayload = EmitterWebhookEvent<'check_suite'>['payload'];

/** The newest dispatch per branch or pull request, and per target (the list is newest first). */
function latestPerRef(list: DispatchItem[]): DispatchItem[] {
  const seen = new Map<string, DispatchItem>();
  for (const d of list) {
    const key = `${d.target ?? ''}\u0000${d.pr !== null ? `pr:${d.pr}` : `branch:${d.branch ?? ''}`}`;
    if (!seen.has(key)) seen.set(key, d);
  }
  return [...seen.values()];
}

export async function onCheckSuite(deps: WorkerDeps, deliveryId: string, payload: CheckSuitePayload): Promise<void> {
  if (payload.action !== 'rerequested') return;
  const repo = repoRef(payload);
  if (!repo) return;
  const sha = payload.check_suite.head_sha;
  const sources = latestPerRef(await dispatchesOfCommit(deps.store, repo.fullName, sha, 100));
  if (sources.length === 0) {
    ignored(deps, 're-run of a check suite with no run of this app on the commit');
    return;
  }
  const gh = await deps.github.forInstallation(repo.installationId);
  const cfg = await loadRepoConfig(gh, repo);
  if (cfg.kind === 'missing') return;
  if (cfg.kind === 'invalid') {
    await reportInvalidConfig(deps, gh, { repo, sha, problems: cfg.problems, deliveryId });
    return;
  }
  for (const source of sources) {
    const result = await rerunDispatch(deps, gh, {
      repo,
      config: cfg.config,
      source,
      actor: payload.sender?.login ?? null,
      deliveryId,
      claimKey: `rerun:${source.dispatchId}`,
      via: 'GitHub\'s "Re-run all checks"',
    });
    deps.log.info('re-run requested', { repo: repo.fullName, source: source.dispatchId, result: result.kind });
  }
}
